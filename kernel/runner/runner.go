// Package runner executes notebooks headless through the real Jupyter
// client (nbclient, from the Python that has Jupyter), reporting each
// cell's wall time as measured here — GoNB's message timestamps have
// one-second resolution — and the compiler's plain-text message when a
// cell fails.
package runner

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gonbml/gonbml/kernel/setup"
)

//go:embed run.py
var runPy string

// Options say how to run one notebook. The zero value runs Path in place.
type Options struct {
	Path    string        // notebook to execute
	Out     string        // where to write the executed notebook; "" writes back to Path (on success only)
	HTML    string        // if set, also export the executed notebook to this HTML file
	Kernel  string        // kernelspec name; "" uses the notebook's, else "gonbml"
	Timeout time.Duration // per cell; 0 means no limit
	Env     []string      // environment for the client and kernel; nil inherits os.Environ()
	Strip   []string      // drop saved outputs whose data contains any of these (after the HTML export); "text/html:M" drops only the text/html part holding M where an image/png part remains
	Log     io.Writer     // per-cell progress lines; nil discards
}

// Cell is one executed code cell.
type Cell struct {
	Index   int     // position among all cells
	Number  int     // 1-based position among code cells
	Seconds float64 // wall time measured by the client
}

// Result describes a run.
type Result struct {
	Cells   []Cell
	Seconds float64
}

// CellError is a failing cell: a panic, a non-zero exit (os.Exit,
// log.Fatal), a compile error, or any other error GoNB reports. Output is
// the error as the kernel reports it, in plain text: the panic line and
// the user's cell line, the compiler's messages.
type CellError struct {
	Path   string
	Number int // 1-based among code cells, as the progress lines count ("cell 3/7")
	Source string
	Output string
}

func (e *CellError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: cell %d failed", e.Path, e.Number)
	if out := strings.TrimSpace(e.Output); out != "" {
		fmt.Fprintf(&b, ":\n%s", indent(out))
	}
	return b.String()
}

// ErrBadInput marks failures of the input rather than of a cell: a notebook
// that does not parse, or an unknown kernel.
var ErrBadInput = errors.New("runner: bad input")

type event struct {
	Event   string  `json:"event"`
	Kind    string  `json:"kind"`
	Index   int     `json:"index"`
	Number  int     `json:"number"`
	Total   int     `json:"total"`
	Seconds float64 `json:"seconds"`
	Status  string  `json:"status"`
	Source  string  `json:"source"`
	Output  string  `json:"output"`
	Message string  `json:"message"`
	OK      bool    `json:"ok"`
}

// Run executes one notebook.
func Run(ctx context.Context, o Options) (Result, error) {
	var res Result
	py, err := setup.JupyterPython()
	if err != nil {
		return res, err
	}
	if _, err := os.Stat(o.Path); err != nil {
		return res, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	out := o.Out
	writeBack := out == ""
	if writeBack {
		tmp, err := os.CreateTemp(filepath.Dir(o.Path), ".gonbml-run-*.ipynb")
		if err != nil {
			return res, fmt.Errorf("runner: %w", err)
		}
		tmp.Close()
		out = tmp.Name()
		defer os.Remove(out)
	}
	args, _ := json.Marshal(map[string]any{
		"path": o.Path, "out": out, "html": o.HTML, "kernel": o.Kernel, "timeout": int(o.Timeout.Seconds()), "strip": o.Strip,
	})
	cmd := exec.CommandContext(ctx, py, "-c", runPy, string(args))
	// Cancelled (Ctrl-C on gonbml run): interrupt the client rather than
	// kill it, so nbclient shuts its kernel down on the way out; kill it
	// only if it has not ended after WaitDelay.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	cmd.Env = o.Env
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	// The kernel prints the compiler's plain text instead of HTML.
	cmd.Env = append(cmd.Env, "GONBML_RAW_ERROR=1", "PYDEVD_DISABLE_FILE_VALIDATION=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return res, err
	}
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("runner: %w", err)
	}
	var failure error
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var ev event
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		switch ev.Event {
		case "cell":
			res.Cells = append(res.Cells, Cell{Index: ev.Index, Number: ev.Number, Seconds: ev.Seconds})
			if o.Log != nil {
				fmt.Fprintf(o.Log, "  %s cell %d/%d: %.2fs\n", filepath.Base(o.Path), ev.Number, ev.Total, ev.Seconds)
			}
		case "done":
			res.Seconds = ev.Seconds
		case "error":
			switch ev.Kind {
			case "cell":
				failure = &CellError{Path: o.Path, Number: ev.Number, Source: ev.Source, Output: ev.Output}
			case "parse":
				failure = fmt.Errorf("%w: %s", ErrBadInput, ev.Message)
			case "kernel":
				if strings.Contains(ev.Message, "no Jupyter kernel named") {
					failure = fmt.Errorf("%w: %s", ErrBadInput, ev.Message)
				} else {
					failure = fmt.Errorf("runner: %s: kernel failed: %s", o.Path, ev.Message)
				}
			}
		}
	}
	werr := cmd.Wait()
	if failure != nil {
		return res, failure
	}
	if werr != nil && ctx.Err() != nil {
		return res, fmt.Errorf("runner: %s: interrupted (%v); the kernel was shut down", o.Path, ctx.Err())
	}
	if werr != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndex(msg, "\n"); i >= 0 && len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return res, fmt.Errorf("runner: %s: the Jupyter client failed: %v\n%s", o.Path, werr, indent(msg))
	}
	if writeBack {
		if err := os.Rename(out, o.Path); err != nil {
			return res, fmt.Errorf("runner: %w", err)
		}
	}
	return res, nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
