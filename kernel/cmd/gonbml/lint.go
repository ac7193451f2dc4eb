package main

import (
	"io"

	"github.com/gonbml/gonbml/kernel/lint"
)

func init() {
	register("lint", "check notebooks against the clean-notebook rules", runLint)
}

// runLint is 'gonbml lint'; see lint.Command.
func runLint(args []string, stdout, stderr io.Writer) int {
	return lint.Command(args, stdout, stderr)
}
