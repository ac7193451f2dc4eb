"""Jupyter's kernel conformance suite (jupyter_kernel_test) against gonbml.

Run by `make conformance` with Debian's /usr/bin/python3 and the kernel that
`make install` registered (JUPYTER_DATA_DIR, else the user's Jupyter data
dir). Each sample is a GoNB cell.

The error sample is `os.Exit(3)`, not a panic: the suite wants exactly one
iopub output, of type error. The relay replaces GoNB's "exit status 3"
stderr line by that error, so os.Exit gives exactly one; a panic also
prints its own stack trace on stderr (kept, as the program wrote it), which
would be a second output.

History is not in the suite: its test runs only for kernels that publish
execute_result, which GoNB never does (cells print and display). The
relay's history_reply is tested in kernel/relay and kernel/integration.
"""
import os
import unittest

import jupyter_kernel_test as jkt

# The first cell of a kernel pays for goimports and go get of gonbui; the
# suite's own timeout is 15 s per cell, so the class warms the kernel up.
WARMUP = 'import "github.com/janpfeifer/gonb/gonbui"\n\n%%\ngonbui.DisplayHTML("<i>warm</i>")'


class GonbmlKernelTests(jkt.KernelTests):
    kernel_name = os.environ.get("GONBML_KERNEL", "gonbml")
    language_name = "go"
    file_extension = ".go"

    code_hello_world = '%%\nfmt.Println("hello, world")'
    code_stderr = '%%\nfmt.Fprintln(os.Stderr, "to stderr")'
    code_generate_error = "%%\nos.Exit(3)"
    code_display_data = [
        {"code": 'import "github.com/janpfeifer/gonb/gonbui"\n\n%%\ngonbui.DisplayHTML("<b>bold</b>")', "mime": "text/html"},
        {"code": 'import "github.com/janpfeifer/gonb/gonbui"\n\n%%\ngonbui.DisplayMarkdown("*hi*")', "mime": "text/markdown"},
    ]
    completion_samples = [
        # gopls (pinned in go.mod) matches fuzzily: Println first, then the
        # other two fmt functions that hold the letters p-r-i-n-t-l.
        {"text": 'import "fmt"\n%%\nfmt.Printl', "matches": {"Println", "Sprintln", "Fprintln"}},
    ]
    code_inspect_sample = 'import "fmt"\n%%\nfmt.Println'

    complete_code_samples = [
        'import "fmt"',
        "%%\nfmt.Println(1)",
        "func add(a, b int) int { return a + b }",
        "x := 3\nfmt.Println(x)",
        "%reset\n!ls",
    ]
    incomplete_code_samples = [
        "func f() {",
        "%%\nfor i := 0; i < 3; i++ {",
        "fmt.Println(1,",
        "s := `raw string",
    ]
    invalid_code_samples = [
        "func f() { return 1 }}",
        "x := := 3",
        "%%\nx := )",
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        msg_id = cls.kc.execute(WARMUP)
        while True:
            reply = cls.kc.get_shell_msg(timeout=300)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"]["status"] != "ok":
            raise RuntimeError("warm-up cell failed: %r" % reply["content"])
        # gopls loads the module on its first request and GoNB gives it a
        # few seconds per request: ask until it answers.
        for _ in range(30):
            msg_id = cls.kc.complete('import "fmt"\n%%\nfmt.Printl')
            reply = cls.kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id and reply["content"]["status"] == "ok":
                break


if __name__ == "__main__":
    unittest.main()
