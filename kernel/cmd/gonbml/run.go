package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gonbml/gonbml/kernel/runner"
	"github.com/gonbml/gonbml/stdlib/chart"
)

func init() {
	register("run", "execute notebooks headless through Jupyter; non-zero exit on the first failing cell", runRun)
}

func runRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the executed notebook here instead of back into NOTEBOOK (one notebook only)")
	html := fs.String("html", "", "also export the executed notebook as HTML to this file (one notebook only)")
	htmlDir := fs.String("html-dir", "", "export each executed notebook as DIR/NAME.html")
	outDir := fs.String("out-dir", "", "write each executed notebook to DIR/NAME.ipynb instead of back into place")
	budget := fs.Duration("budget", 0, "fail when all notebooks together take longer than this (0: no limit)")
	kernel := fs.String("kernel", "", "kernel name (default: the notebook's, else gonbml)")
	timeout := fs.Duration("timeout", 10*time.Minute, "limit per cell (0: none)")
	quiet := fs.Bool("q", false, "no per-cell lines")
	stripBundle := fs.Bool("strip-bundle", false, "save the notebook without the inlined ECharts bundle (for notebooks committed to a repository; charts show their PNG until re-run)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gonbml run [flags] NOTEBOOK.ipynb...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	nbs := fs.Args()
	if len(nbs) == 0 {
		fs.Usage()
		return 2
	}
	if len(nbs) > 1 && (*out != "" || *html != "") {
		fmt.Fprintln(stderr, "gonbml run: --out and --html take one notebook; use --html-dir for several")
		return 2
	}
	// A job runner's SIGTERM or a closed terminal's SIGHUP ends the run the
	// way Ctrl-C does: the client shuts its kernel (and GoNB, gopls) down.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var total float64
	for _, nb := range nbs {
		o := runner.Options{Path: nb, Out: *out, HTML: *html, Kernel: *kernel, Timeout: *timeout}
		if !*quiet {
			o.Log = stdout
		}
		if *stripBundle {
			// Without the bundle a chart's script cannot run: keep only its PNG.
			o.Strip = []string{chart.BundleMarker, "text/html:" + chart.InteractiveMarker}
		}
		if *outDir != "" {
			o.Out = filepath.Join(*outDir, filepath.Base(nb))
		}
		if *htmlDir != "" {
			o.HTML = filepath.Join(*htmlDir, strings.TrimSuffix(filepath.Base(nb), ".ipynb")+".html")
		}
		res, err := runner.Run(ctx, o)
		if err != nil {
			var ce *runner.CellError
			switch {
			case errors.As(err, &ce):
				fmt.Fprintf(stderr, "gonbml run: %v\n", err)
			case errors.Is(err, runner.ErrBadInput):
				fmt.Fprintf(stderr, "gonbml run: %s\n", strings.TrimPrefix(err.Error(), runner.ErrBadInput.Error()+": "))
			default:
				fmt.Fprintf(stderr, "gonbml run: %v\n", err)
			}
			return 1
		}
		total += res.Seconds
		fmt.Fprintf(stdout, "ok %s (%d cells, %.1fs)\n", nb, len(res.Cells), res.Seconds)
	}
	if len(nbs) > 1 {
		fmt.Fprintf(stdout, "all %d notebooks ran in %.1fs\n", len(nbs), total)
	}
	if *budget > 0 && total > budget.Seconds() {
		fmt.Fprintf(stderr, "gonbml run: the notebooks took %.0fs, over the %s budget: make the slow ones cache their expensive steps\n", total, *budget)
		return 1
	}
	return 0
}
