"""Execute one notebook with nbclient, the real Jupyter client.

Driven by `gonbml run` (kernel/runner): arguments arrive as one JSON object
on argv[1]; progress and results leave as JSON lines on stdout, so the Go
side owns all formatting. Exit code 0 on success, 1 on a failing cell,
2 on bad input (unparseable notebook, unknown kernel).
"""
import json
import os
import re
import sys
import time

# GoNB's line for a cell whose program failed, when no relay turned it into
# an error (a kernel other than gonbml's launcher).
EXIT_LINE = re.compile(r"(^|\n)(\^C\n)?(exit status \d+|signal: [a-z ]+)\n?$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def emit(**kw):
    sys.stdout.write(json.dumps(kw) + "\n")
    sys.stdout.flush()


def text_of(outputs):
    """The plain text a person would read in the failing cell's outputs.

    When the cell has an error output, its traceback says it all (the panic
    line and the user's cell line, the compiler's message, log.Fatal's
    line): the program's stderr, with the goroutine dump of GoNB's
    generated main.go, is left out. A failed check (notebook.Check and
    friends) exits with a bare "exit status 1": its "✗" lines, printed to
    stdout, say why, so they come first.
    """
    errors = [o for o in outputs if o.get("output_type") == "error"]
    crosses = [line for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stdout"
               for line in o.get("text", "").splitlines() if line.startswith("\u2717")]
    if errors:
        outputs = errors
    parts = ["\n".join(crosses)] if crosses else []
    for o in outputs:
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        elif o.get("output_type") == "error":
            parts.append("\n".join(o.get("traceback") or [o.get("ename", ""), o.get("evalue", "")]))
        elif "data" in o and "text/plain" in o["data"]:
            parts.append(o["data"]["text/plain"])
    return ANSI.sub("", "".join(p if p.endswith("\n") else p + "\n" for p in parts if p))


def exit_line_cell(nb, code_cells):
    """The first code cell whose stderr ends with GoNB's exit line, or None."""
    for i in code_cells:
        for o in nb.cells[i].get("outputs", []):
            if o.get("output_type") == "stream" and o.get("name") == "stderr" and EXIT_LINE.search(o.get("text", "")):
                return i
    return None


def fix_language_info(nb):
    """Older notebooks were saved with GoNB's empty pygments_lexer and
    codemirror_mode: set both to go so nbconvert and editors highlight Go."""
    li = nb.metadata.setdefault("language_info", {})
    if li.get("name", "go") != "go":
        return
    for k in ("pygments_lexer", "codemirror_mode"):
        if not li.get(k):
            li[k] = "go"


def write_atomic(path, data):
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    args = json.loads(sys.argv[1])
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        nb = nbformat.read(args["path"], as_version=4)
    except Exception as e:  # nbformat raises several types for bad JSON
        emit(event="error", kind="parse", message="%s does not parse as a notebook: %s" % (args["path"], e))
        return 2

    kernel = args.get("kernel") or nb.metadata.get("kernelspec", {}).get("name") or "gonbml"
    starts = {}
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]

    def on_cell_start(cell, cell_index):
        starts[cell_index] = time.perf_counter()

    def on_cell_executed(cell, cell_index, execute_reply):
        t = time.perf_counter() - starts.get(cell_index, time.perf_counter())
        status = (execute_reply or {}).get("content", {}).get("status", "ok")
        emit(event="cell", index=cell_index, seconds=t, status=status,
             number=code_cells.index(cell_index) + 1 if cell_index in code_cells else 0, total=len(code_cells))

    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=args.get("timeout") or None,
        startup_timeout=120,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args["path"]))}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    t0 = time.perf_counter()
    failed = None
    try:
        client.execute()
    except NoSuchKernel:
        emit(event="error", kind="kernel",
             message="no Jupyter kernel named %r is installed (run 'make install', or pass --kernel NAME)" % kernel)
        return 2
    except CellExecutionError as e:
        idx = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        failed = dict(event="error", kind="cell", index=idx,
                      number=code_cells.index(idx) + 1 if idx in code_cells else 0,
                      source=nb.cells[idx].source if idx is not None else "",
                      output=text_of(nb.cells[idx].outputs) if idx is not None else "",
                      ename=getattr(e, "ename", ""), evalue=getattr(e, "evalue", ""), message=str(e))
    except (CellTimeoutError, DeadKernelError) as e:
        failed = dict(event="error", kind="kernel", message="%s: %s" % (type(e).__name__, e))
    except RuntimeError as e:  # kernel died on start, e.g. a broken kernelspec
        failed = dict(event="error", kind="kernel", message=str(e))

    if failed is None:
        idx = exit_line_cell(nb, code_cells)
        if idx is not None:
            failed = dict(event="error", kind="cell", index=idx, number=code_cells.index(idx) + 1,
                          source=nb.cells[idx].source, output=text_of(nb.cells[idx].outputs))

    fix_language_info(nb)
    drop_gonb_comms_installer(nb)
    if args.get("html") and failed is None:
        from nbconvert import HTMLExporter
        body, _ = HTMLExporter().from_notebook_node(nb)
        write_atomic(args["html"], body)
    strip = args.get("strip") or []
    if strip:
        # Drop whole outputs that carry any of the markers (the inlined
        # ECharts bundle): the saved notebook keeps every other output.
        # A marker written "text/html:MARKER" drops only the text/html part
        # of the outputs whose text/html holds MARKER (a chart keeps its PNG).
        part = "text/html:"
        whole = [m for m in strip if not m.startswith(part)]
        html = [m[len(part):] for m in strip if m.startswith(part)]
        def text(v):
            return "".join(v) if isinstance(v, list) else str(v)
        def carries(o):
            return any(m in text(v) for v in (o.get("data") or {}).values() for m in whole)
        for c in nb.cells:
            if c.cell_type == "code":
                c.outputs = [o for o in c.outputs if not carries(o)]
                for o in c.outputs:
                    d = o.get("data") or {}
                    if "text/html" in d and "image/png" in d and any(m in text(d["text/html"]) for m in html):
                        del d["text/html"]
    out = args.get("out")
    if out:
        write_atomic(out, nbformat.writes(nb))
    emit(event="done", seconds=time.perf_counter() - t0, ok=failed is None)
    if failed:
        emit(**failed)
        return 1
    return 0


# GONB_INSTALLER is text of the script GoNB displays to connect a page to
# the kernel when a cell first uses its widgets/comms (chart.Explore does).
# A live page runs it and GoNB then erases it; with no page (this runner)
# nothing erases it, and the saved notebook would keep a dead ~20 KB script
# that opens a WebSocket to a kernel long gone wherever it is displayed.
GONB_INSTALLER = "Creates a WebSocket connecting to the JupyterServer and through it to the GoNB kernel"


def drop_gonb_comms_installer(nb):
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = [o for o in c.outputs
                         if GONB_INSTALLER not in "".join((o.get("data") or {}).get("text/html", ""))]


if __name__ == "__main__":
    sys.exit(main())
