package text_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/gonbml/gonbml/stdlib/text"
)

func ExampleTokenize() {
	fmt.Println(text.Tokenize("The naïve café's e-mail: 2 x 100!"))
	// Output: [the naïve café mail 100]
}

func ExampleTokens() {
	fmt.Println(text.Tokens("Keep The Case"))
	// Output: [Keep The Case]
}

func ExampleLower() {
	fmt.Printf("%q\n", text.Lower("İZMİR"))
	// Output: "i̇zmi̇r"
}

func ExampleSentences() {
	for _, s := range text.Sentences("Mr. Ahab met Dr. Bunger in the U.S. Navy. \"Where?\" he asked.\nNobody knew.") {
		fmt.Println(s)
	}
	// Output:
	// Mr. Ahab met Dr. Bunger in the U.S. Navy.
	// "Where?" he asked.
	// Nobody knew.
}

func ExampleCountConfig_FitTransform() {
	v, x, err := text.CountConfig{StopWords: text.EnglishStopWords}.FitTransform(context.Background(),
		[]string{"The whale and the sea", "The sea, the sea"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.FeatureNames())
	fmt.Println(x.At(0, 0), x.At(1, 0), x.At(1, 1))
	// Output:
	// [sea whale]
	// 1 2 0
}

func ExampleTfidfConfig_FitTransform() {
	docs := []string{"the cat sat on the mat", "the dog sat", "cats and dogs"}
	v, x, err := text.TfidfConfig{}.FitTransform(context.Background(), docs)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.FeatureNames())
	// The same values as scikit-learn: TfidfVectorizer().fit_transform(docs).
	fmt.Printf("%.4f %.4f\n", x.At(0, v.Vocabulary["the"]), x.At(0, v.Vocabulary["cat"]))
	// Output:
	// [and cat cats dog dogs mat on sat the]
	// 0.6266 0.4120
}

func ExampleTfidf_Transform() {
	ctx := context.Background()
	v, err := text.TfidfConfig{Norm: text.NoNorm}.Fit(ctx, []string{"red apple", "green apple"})
	if err != nil {
		fmt.Println(err)
		return
	}
	x, _ := v.Transform(ctx, []string{"apple apple pie"})
	fmt.Printf("%.4f\n", x.At(0, v.Vocabulary["apple"])) // 2 × idf(apple) = 2 × (ln(3/3)+1)
	// Output: 2.0000
}

func ExampleTfidf_Save() {
	v, err := text.TfidfConfig{Tokenizer: strings.Fields}.Fit(context.Background(), []string{"red apple", "green apple"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if err := v.Save(&buf); err != nil { // strings.Fields is saved by name
		fmt.Println(err)
		return
	}
	loaded, err := text.LoadTfidf(&buf)
	fmt.Println(loaded.FeatureNames(), err)
	// Output: [apple green red] <nil>
}

func ExampleCountConfig_Validate() {
	fmt.Println(text.CountConfig{MinDF: 2.5}.Validate())
	// Output: text: bad config: MinDF is 2.5, want a whole count of documents (fractions are < 1)
}

func ExampleCount_Transform() {
	ctx := context.Background()
	v, err := text.CountConfig{FixedVocabulary: []string{"whale", "sea"}}.Fit(ctx, []string{"a whale at sea"})
	if err != nil {
		fmt.Println(err)
		return
	}
	x, err := v.Transform(ctx, []string{"The whale, the whale and the sea"})
	fmt.Println(x.At(0, 0), x.At(0, 1), err)
	// Output: 2 1 <nil>
}
