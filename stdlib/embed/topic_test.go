package embed

import (
	"context"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestTFIDFAndTopics(t *testing.T) {
	docs, labels := plantedCorpus(200, 9)
	ctx := context.Background()
	// A planted word is in about 1-0.9^12 = 72% of its group's documents,
	// about 36% of all, so the default MaxDF (0.5) keeps all 20.
	tf, err := TFIDFConfig{MinDF: 1}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	x, err := tf.Encode(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	if _, c := x.Dims(); c != 20 {
		t.Fatalf("%d TF-IDF columns, want the 20 planted words", c)
	}
	// Rows are L2-normalised (scikit-learn's norm='l2').
	if n := mat.Norm(x.RowView(0), 2); math.Abs(n-1) > 1e-12 {
		t.Errorf("row norm %.6f, want 1", n)
	}
	tp, err := TopicConfig{Topics: 2, TFIDF: TFIDFConfig{MinDF: 1}}.Fit(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tp.Encode(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	// Two planted topics: the dominant topic of a document is its group,
	// up to which topic got which index.
	agree := 0
	for i := range docs {
		dom := 0
		if w.At(i, 1) > w.At(i, 0) {
			dom = 1
		}
		if dom == labels[i] {
			agree++
		}
	}
	if agree != len(docs) && agree != 0 {
		t.Errorf("dominant topic matches the planted group for %d of %d documents", agree, len(docs))
	}
	if _, err := (TopicConfig{Topics: -1}).Fit(ctx, docs); err == nil {
		t.Error("Topics -1: no error")
	}
	if _, err := (TFIDFConfig{}).Fit(ctx, nil); err == nil {
		t.Error("TF-IDF of no documents: no error")
	}
}

func TestTextAdapters(t *testing.T) {
	var got [][]string
	err := TextSentences{"Call me Ishmael. Some years ago I went to sea!"}.ForEach(context.Background(), func(tk []string) error {
		got = append(got, slices.Clone(tk))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Two sentences; stdlib/text drops one-letter tokens such as "I".
	if len(got) != 2 || !slices.Equal(got[0], []string{"call", "me", "ishmael"}) {
		t.Errorf("sentences %q", got)
	}
	docs, err := Collect(context.Background(), TextDocuments{"One doc. Two sentences.", "Another"})
	if err != nil || len(docs) != 2 || len(docs[0]) != 4 {
		t.Errorf("documents %q, %v", docs, err)
	}
}
