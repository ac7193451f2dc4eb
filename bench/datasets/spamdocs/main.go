// Command spamdocs writes the cleaned SpamAssassin bodies as JSON
// ({"docs": [...]}, in LoadSpamAssassin order) for the scikit-learn peer
// script bench/peers/tfidf_sklearn.py.
//
//	go run ./bench/datasets/spamdocs > /tmp/spamdocs.json
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

func main() {
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
