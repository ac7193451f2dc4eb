// Command kernel times the gonbml kernel as a user meets it: kernel start
// (until it answers kernel_info), the first cell importing the stdlib in a
// fresh kernel after 'gonbml install', and a trivial warm cell. It prints
// the medians over -runs kernels as one JSON line.
//
//	go run ./bench/kernel -runs 5
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/gonbml/gonbml/kernel/setup"
)

//go:embed bench.py
var benchPy string

func main() {
	runs := flag.Int("runs", 5, "kernels to start (the medians are over these)")
	flag.Parse()
	py, err := setup.JupyterPython()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/kernel:", err)
		os.Exit(1)
	}
	cmd := exec.Command(py, "-c", benchPy, strconv.Itoa(*runs))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/kernel:", err)
		os.Exit(1)
	}
}
