package embed_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/gonbml/gonbml/stdlib/embed"
)

// story makes a toy text in reading order: runs of six sentences about the
// sea or about the land. Sea sentences are followed by sea sentences, so the
// neighbours of a sentence say what it is about.
func story() embed.Tokens {
	sea := []string{"whale", "ship", "sail", "harpoon", "ocean", "wave"}
	land := []string{"president", "congress", "law", "vote", "senate", "court"}
	rng := rand.New(rand.NewPCG(3, 4))
	var docs embed.Tokens
	for run := range 60 {
		group := sea
		if run%3 == 1 {
			group = land
		}
		for range 6 {
			var s []string
			for range 6 {
				s = append(s, group[rng.IntN(len(group))])
			}
			docs = append(docs, s)
		}
	}
	return docs
}

func cosineRows(ctx context.Context, enc embed.Encoder, a, b []string) float64 {
	x, err := enc.Encode(ctx, [][]string{a, b})
	if err != nil {
		panic(err)
	}
	return embed.Cosine(x.RawRowView(0), x.RawRowView(1))
}

func ExampleFastSentConfig_Fit() {
	ctx := context.Background()
	m, err := embed.FastSentConfig{VectorSize: 16, MinCount: 1, Epochs: 5, Workers: 1}.Fit(ctx, story())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("words:", m.WV.Len(), "dimensions:", m.WV.Dim)
	fmt.Println("loss fell:", m.Loss[len(m.Loss)-1] < m.Loss[0])
	sea := cosineRows(ctx, m, []string{"whale", "ship"}, []string{"harpoon", "wave"})
	land := cosineRows(ctx, m, []string{"whale", "ship"}, []string{"senate", "vote"})
	fmt.Println("sea sentence closer to sea than to land:", sea > land)
	// A sum of word vectors ignores word order.
	fmt.Printf("order: %.3f\n", cosineRows(ctx, m, []string{"whale", "sail", "ship"}, []string{"ship", "sail", "whale"}))
	// Output:
	// words: 12 dimensions: 16
	// loss fell: true
	// sea sentence closer to sea than to land: true
	// order: 1.000
}

func ExampleFastSent_Save() {
	m, err := embed.FastSentConfig{VectorSize: 8, MinCount: 1, Epochs: 1, AutoEncode: true, Workers: 1}.Fit(context.Background(), story())
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(os.TempDir(), "example-fastsent.gob")
	defer os.Remove(path)
	if err := m.SaveFile(path); err != nil {
		fmt.Println(err)
		return
	}
	l, err := embed.LoadFastSentFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("FastSent+AE:", l.Config.AutoEncode, "dimensions:", l.WV.Dim)
	// Output:
	// FastSent+AE: true dimensions: 8
}

func ExampleFastSentConfig_Validate() {
	fmt.Println(embed.FastSentConfig{}.Validate())
	fmt.Println(embed.FastSentConfig{Negative: -1}.Validate())
	// Output:
	// <nil>
	// embed: bad config: Negative is -1, want at least 1 (0: the default)
}

func ExampleSkipThoughtConfig_Fit() {
	ctx := context.Background()
	m, err := embed.SkipThoughtConfig{WordSize: 8, Hidden: 16, MinCount: 1, BatchSize: 16, Epochs: 5, LR: 0.01}.Fit(ctx, story())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sentence vector size:", m.Config.Hidden)
	fmt.Println("loss fell:", m.Loss[len(m.Loss)-1] < m.History[0])
	// The GRU reads words in order, so a reordered sentence gets another vector.
	fmt.Println("order matters:", cosineRows(ctx, m, []string{"whale", "sail", "ship"}, []string{"ship", "sail", "whale"}) < 0.9999)
	// Output:
	// sentence vector size: 16
	// loss fell: true
	// order matters: true
}

func ExampleSkipThought_Encode() {
	ctx := context.Background()
	m, err := embed.SkipThoughtConfig{WordSize: 8, Hidden: 16, MinCount: 1, Epochs: 1}.Fit(ctx, story())
	if err != nil {
		fmt.Println(err)
		return
	}
	x, err := m.Encode(ctx, [][]string{{"whale", "ship"}, {"unknown", "words"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, c := x.Dims()
	fmt.Println(r, "x", c, "second row zero:", x.At(1, 0) == 0 && x.At(1, 15) == 0)
	// Output:
	// 2 x 16 second row zero: true
}

func ExampleSkipThought_Save() {
	m, err := embed.SkipThoughtConfig{WordSize: 4, Hidden: 8, MinCount: 1, Epochs: 1}.Fit(context.Background(), story())
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(os.TempDir(), "example-skipthought.gob")
	defer os.Remove(path)
	if err := m.SaveFile(path); err != nil {
		fmt.Println(err)
		return
	}
	l, err := embed.LoadSkipThoughtFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("words:", l.WV.Len(), "hidden:", l.Config.Hidden)
	// Output:
	// words: 12 hidden: 8
}

func ExampleSkipThoughtConfig_Validate() {
	fmt.Println(embed.SkipThoughtConfig{}.Validate())
	fmt.Println(embed.SkipThoughtConfig{MaxLen: -3}.Validate())
	// Output:
	// <nil>
	// embed: bad config: MaxLen is -3, want at least 1 (0: the default)
}

// Sentences that are not running text — here every sentence is its own
// document, separated by empty ones — have no neighbours to learn from.
func ExampleErrNoOrder() {
	shuffled := embed.Tokens{{"whale", "ship"}, {}, {"senate", "vote"}, {}, {"whale", "vote"}}
	_, err := embed.FastSentConfig{MinCount: 1}.Fit(context.Background(), shuffled)
	fmt.Println(errors.Is(err, embed.ErrNoOrder))
	// Output:
	// true
}
