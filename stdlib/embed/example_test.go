package embed_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/gonbml/gonbml/stdlib/embed"
	"gonum.org/v1/gonum/mat"
)

// sentences makes a toy corpus in which sea words and land words never meet.
func sentences() embed.Tokens {
	sea := []string{"whale", "ship", "sail", "harpoon", "ocean", "wave"}
	land := []string{"president", "congress", "law", "vote", "senate", "court"}
	rng := rand.New(rand.NewPCG(1, 2))
	var docs embed.Tokens
	for i := range 600 {
		group := sea
		if i%2 == 1 {
			group = land
		}
		var s []string
		for range 10 {
			s = append(s, group[rng.IntN(len(group))])
		}
		docs = append(docs, s)
	}
	return docs
}

func ExampleWord2VecConfig_Fit() {
	m, err := embed.Word2VecConfig{
		SG: true, VectorSize: 16, Window: 3, Sample: -1, Workers: 1, Seed: 1}.Fit(context.Background(), sentences())
	if err != nil {
		fmt.Println(err)
		return
	}
	near, _ := m.WV.MostSimilar([]string{"whale"}, nil, 1)
	inSea := near[0].Word == "ship" || near[0].Word == "sail" || near[0].Word == "harpoon" || near[0].Word == "ocean" || near[0].Word == "wave"
	fmt.Println("vocabulary:", m.WV.Len(), "nearest to whale is a sea word:", inSea)
	// Output: vocabulary: 12 nearest to whale is a sea word: true
}

func ExampleKeyedVectors_MostSimilar() {
	// king = royal + male, queen = royal + female.
	kv, _ := embed.NewKeyedVectors([]string{"king", "queen", "man", "woman"},
		mat.NewDense(4, 3, []float64{1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1}))
	best, _ := kv.MostSimilar([]string{"king", "woman"}, []string{"man"}, 1)
	fmt.Printf("king - man + woman = %s (%.3f)\n", best[0].Word, best[0].Score)
	// Output: king - man + woman = queen (0.959)
}

func ExampleKeyedVectors_Similarity() {
	kv, _ := embed.NewKeyedVectors([]string{"a", "b"},
		mat.NewDense(2, 2, []float64{1, 0, 1, 1}))
	s, _ := kv.Similarity("a", "b")
	_, err := kv.Similarity("a", "zebra")
	fmt.Printf("%.3f\n%v\n", s, err)
	// Output:
	// 0.707
	// embed: word not in vocabulary: "zebra"
}

func ExampleKeyedVectors_SaveWord2VecFormat() {
	kv, _ := embed.NewKeyedVectors([]string{"whale", "ship"},
		mat.NewDense(2, 2, []float64{0.5, -1, 2, 0.25}))
	path := filepath.Join(os.TempDir(), "example-vectors.txt")
	defer os.Remove(path)
	if err := kv.SaveWord2VecFormat(path, false); err != nil {
		fmt.Println(err)
		return
	}
	text, _ := os.ReadFile(path)
	fmt.Print(string(text))
	back, _ := embed.LoadWord2VecFormat(path, false)
	v, _ := back.Vector("ship")
	fmt.Println(v)
	// Output:
	// 2 2
	// whale 0.5 -1
	// ship 2 0.25
	// [2 0.25]
}

func ExampleDoc2VecConfig_Fit() {
	docs := sentences()
	m, err := embed.Doc2VecConfig{
		DBOW: true, VectorSize: 16, Epochs: 20, Sample: -1, Workers: 1}.Fit(context.Background(), docs)
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, _ := m.DV.Dims()
	// An unseen sea sentence is closer to a training sea document (even
	// rows) than to a land one (odd rows).
	v, _ := m.InferVector([]string{"whale", "ocean", "harpoon", "wave"})
	fmt.Println(rows, "document vectors")
	fmt.Println(embed.Cosine(v, m.DV.RawRowView(0)) > embed.Cosine(v, m.DV.RawRowView(1)))
	// Output:
	// 600 document vectors
	// true
}

func ExampleSIFConfig_Fit() {
	docs := sentences()
	w2v, _ := embed.Word2VecConfig{
		VectorSize: 8, Sample: -1, Workers: 1}.Fit(context.Background(), docs)
	sif, _ := embed.SIFConfig{}.Fit(context.Background(), w2v.WV, docs)
	x, empty, _ := sif.EncodeMask(context.Background(), [][]string{{"whale", "ship"}, {"unknown"}})
	r, c := x.Dims()
	fmt.Println(r, c, empty)
	// Output: 2 8 [false true]
}

func ExampleMean() {
	kv, _ := embed.NewKeyedVectors([]string{"a", "b"},
		mat.NewDense(2, 2, []float64{1, 0, 0, 1}))
	var enc embed.Encoder = embed.Mean{KV: kv}
	x, _ := enc.Encode(context.Background(), [][]string{{"a", "b", "zzz"}, {"b"}})
	fmt.Println(mat.Formatted(x))
	// Output:
	// ⎡0.5  0.5⎤
	// ⎣  0    1⎦
}

func ExampleCrossValidateKNN() {
	// Two clusters of directions.
	x := mat.NewDense(8, 2, []float64{1, 0.1, 1, 0.2, 0.9, 0, 1, 0.15, 0.1, 1, 0, 1, 0.2, 0.9, 0.1, 1.1})
	labels := []int{0, 0, 0, 0, 1, 1, 1, 1}
	cv, _ := embed.CrossValidateKNN(context.Background(), x, labels, embed.CVConfig{K: 3, Folds: 4, Seed: 1})
	fmt.Printf("accuracy %.2f over %d folds\n", cv.Accuracy, len(cv.FoldAccuracy))
	// Output: accuracy 1.00 over 4 folds
}

func ExampleNearestNeighbors() {
	x := mat.NewDense(3, 2, []float64{1, 0, 0, 1, 1, 1})
	nn, _ := embed.NearestNeighbors(x, []float64{0.9, 1}, 2)
	fmt.Printf("%d %.3f\n%d %.3f\n", nn[0].Index, nn[0].Score, nn[1].Index, nn[1].Score)
	// Output:
	// 2 0.999
	// 1 0.743
}

func ExampleKNN_Predict() {
	x := mat.NewDense(4, 2, []float64{1, 0, 1, 0.1, 0, 1, 0.1, 1})
	knn, _ := embed.KNNConfig{K: 1}.Fit(context.Background(), x, []int{0, 0, 1, 1})
	pred, _ := knn.Predict(mat.NewDense(2, 2, []float64{3, 0.5, 0.2, 2}))
	fmt.Println(pred)
	// Output: [0 1]
}

func ExampleStrings() {
	c := embed.Strings{Docs: []string{"The whale.", "The ship!"}}
	c.ForEach(context.Background(), func(tokens []string) error {
		fmt.Println(tokens)
		return nil
	})
	// Output:
	// [the whale]
	// [the ship]
}

func ExampleLineFile() {
	path := filepath.Join(os.TempDir(), "example-corpus.txt")
	os.WriteFile(path, []byte("call me ishmael\nthe whale\n"), 0o644)
	defer os.Remove(path)
	n := 0
	embed.LineFile(path).ForEach(context.Background(), func(tokens []string) error {
		n += len(tokens)
		return nil
	})
	fmt.Println(n, "tokens")
	// Output: 5 tokens
}

func ExampleCorpusFunc() {
	c := embed.CorpusFunc(func(ctx context.Context, fn func([]string) error) error {
		for _, s := range []string{"a b", "c"} {
			if err := fn(strings.Fields(s)); err != nil {
				return err
			}
		}
		return nil
	})
	c.ForEach(context.Background(), func(t []string) error { fmt.Println(len(t)); return nil })
	// Output:
	// 2
	// 1
}

func ExampleTFIDFConfig_Fit() {
	docs := [][]string{{"whale", "ship", "sea"}, {"whale", "harpoon"}, {"vote", "senate"}, {"vote", "law", "court"}}
	tf, _ := embed.TFIDFConfig{MinDF: 1}.Fit(context.Background(), docs)
	x, _ := tf.Encode(context.Background(), [][]string{{"whale", "vote"}})
	_, c := x.Dims()
	fmt.Println(c, "terms:", tf.Vectorizer.FeatureNames())
	// Output: 8 terms: [court harpoon law sea senate ship vote whale]
}

func ExampleTopicConfig_Fit() {
	docs := sentences()
	topics, err := embed.TopicConfig{Topics: 2, TFIDF: embed.TFIDFConfig{MinDF: 1}}.Fit(context.Background(), docs)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := topics.Encode(context.Background(), [][]string{{"whale", "ship"}, {"vote", "law"}})
	// The two sentences load on different topics.
	sea := w.At(0, 0) > w.At(0, 1)
	land := w.At(1, 0) > w.At(1, 1)
	fmt.Println(sea != land)
	// Output: true
}

func ExampleTextSentences() {
	docs, _ := embed.Collect(context.Background(), embed.TextSentences{"Call me Ishmael. Some years ago, never mind how long."})
	fmt.Println(len(docs), docs[0])
	// Output: 2 [call me ishmael]
}

func ExampleTextDocuments() {
	docs, _ := embed.Collect(context.Background(), embed.TextDocuments{"Call me Ishmael. Some years ago."})
	fmt.Println(docs)
	// Output: [[call me ishmael some years ago]]
}
