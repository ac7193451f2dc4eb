// Command spamdocs writes the cleaned SpamAssassin bodies as JSON
// ({"docs": [...]}, in LoadSpamAssassin order) for the scikit-learn peer
// script bench/peers/tfidf_sklearn.py.
//
//	go run ./bench/datasets/spamdocs > /tmp/spamdocs.json
//	go run ./bench/datasets/spamdocs -path   # prints the cached tarball's path
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

func main() {
	pathOnly := flag.Bool("path", false, "print the verified tarball's path and exit")
	flag.Parse()
	if *pathOnly {
		p, err := datasets.SpamAssassin.Fetch(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(p)
		return
	}
	msgs, err := datasets.LoadSpamAssassin(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	docs := make([]string, len(msgs))
	for i, m := range msgs {
		docs[i] = m.Body
	}
	if err := json.NewEncoder(os.Stdout).Encode(map[string][]string{"docs": docs}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
