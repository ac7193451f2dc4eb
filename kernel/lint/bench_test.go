package lint

import (
	"os"
	"testing"
)

// BenchmarkLint lints the committed notebooks: the messy fixture (many
// findings) and design-patterns (clean, longer Go cells).
func BenchmarkLint(b *testing.B) {
	for _, name := range []string{"testdata/messy.ipynb", "design-patterns.ipynb", "clean-notebooks.ipynb"} {
		data, err := os.ReadFile("../../notebooks/" + name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := LintNotebook(name, data, Config{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notebooks/s")
		})
	}
}
