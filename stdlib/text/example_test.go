package text_test

import (
	"bytes"
	"fmt"

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

func ExampleCountVectorizer() {
	v := &text.CountVectorizer{StopWords: text.EnglishStopWords}
	x, err := v.FitTransform([]string{"The whale and the sea", "The sea, the sea"})
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

func ExampleTfidfVectorizer() {
	docs := []string{"the cat sat on the mat", "the dog sat", "cats and dogs"}
	v := &text.TfidfVectorizer{}
	x, err := v.FitTransform(docs)
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

func ExampleTfidfVectorizer_Transform() {
	v := &text.TfidfVectorizer{Norm: text.NoNorm}
	if err := v.Fit([]string{"red apple", "green apple"}); err != nil {
		fmt.Println(err)
		return
	}
	x, _ := v.Transform([]string{"apple apple pie"})
	fmt.Printf("%.4f\n", x.At(0, v.Vocabulary["apple"])) // 2 × idf(apple) = 2 × (ln(3/3)+1)
	// Output: 2.0000
}

func ExampleTfidfVectorizer_Save() {
	v := &text.TfidfVectorizer{}
	if err := v.Fit([]string{"red apple", "green apple"}); err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if err := v.Save(&buf); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := text.LoadTfidf(&buf)
	fmt.Println(loaded.FeatureNames(), err)
	// Output: [apple green red] <nil>
}

func ExampleCountVectorizer_Validate() {
	v := &text.CountVectorizer{MinDF: 2.5}
	fmt.Println(v.Validate())
	// Output: text: MinDF = 2.5: a count of documents must be whole (fractions are < 1)
}

func ExampleCountVectorizer_Transform() {
	v := &text.CountVectorizer{FixedVocabulary: []string{"whale", "sea"}}
	if err := v.Fit([]string{"a whale at sea"}); err != nil {
		fmt.Println(err)
		return
	}
	x, err := v.Transform([]string{"The whale, the whale and the sea"})
	fmt.Println(x.At(0, 0), x.At(0, 1), err)
	// Output: 2 1 <nil>
}
