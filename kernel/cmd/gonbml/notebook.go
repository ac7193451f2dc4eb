package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gonbml/gonbml/kernel/server"
	"github.com/gonbml/gonbml/kernel/setup"
)

func init() {
	register("notebook", "start Jupyter on 127.0.0.1 with a token on notebooks/ and print the URL", runNotebook)
}

func runNotebook(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("notebook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "notebook directory (default: notebooks/ of the checkout)")
	port := fs.Int("port", 8888, "port on 127.0.0.1 (0: any free port)")
	verbose := fs.Bool("v", false, "show the notebook server's log")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" {
		l, err := setup.FindLayout("")
		if err != nil {
			fmt.Fprintln(stderr, "gonbml notebook:", err)
			return 1
		}
		*dir = l.Root + "/notebooks"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o := server.Options{Dir: *dir, Port: *port}
	if *verbose {
		o.Log = stderr
	}
	s, err := server.Start(ctx, o)
	if err != nil && *port != 0 {
		o.Port = 0 // the usual port is taken: any free one will do
		s, err = server.Start(ctx, o)
	}
	if err != nil {
		fmt.Fprintln(stderr, "gonbml notebook:", err)
		return 1
	}
	fmt.Fprintf(stdout, "\nJupyter is serving %s\n\n    %s?token=%s\n\nOpen that URL, pick a notebook (kernel \"Go (gonbml)\"). Ctrl-C stops the server.\n", *dir, s.URL+"tree", s.Token)
	<-ctx.Done()
	s.Stop()
	return 0
}
