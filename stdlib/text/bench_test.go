package text_test

import (
	"context"
	"testing"

	"github.com/gonbml/gonbml/stdlib/datasets"
	"github.com/gonbml/gonbml/stdlib/text"
)

// BenchmarkTfidfSpamAssassin fits TF-IDF on the 6,046 cleaned SpamAssassin
// bodies; bench/peers/tfidf_sklearn.py time is the scikit-learn side.
func BenchmarkTfidfSpamAssassin(b *testing.B) {
	if _, err := datasets.SpamAssassin.Fetch(context.Background()); err != nil {
		b.Skip(err)
	}
	msgs, err := datasets.LoadSpamAssassin(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	docs := make([]string, len(msgs))
	for i, m := range msgs {
		docs[i] = m.Body
	}
	for _, bc := range []struct {
		name string
		c    text.TfidfConfig
	}{
		{"default", text.TfidfConfig{}},
		{"issue", text.TfidfConfig{MaxFeatures: 2000, MinDF: 10, StopWords: text.EnglishStopWords}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := bc.c.FitTransform(context.Background(), docs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
