package chart

import (
	"math"
	"testing"
)

// BenchmarkPrepareScatter measures what Show costs per chart before
// anything is sent: go-echarts rendering, parsing, and drawing and
// encoding the PNG fallback, for a 2,000-point scatter in 10 colours.
func BenchmarkPrepareScatter(b *testing.B) {
	var x, y []float64
	var labels []string
	for i := 0; i < 2000; i++ {
		x = append(x, math.Cos(float64(i))*float64(i%10))
		y = append(y, math.Sin(float64(i))*float64(i%10))
		labels = append(labels, string(rune('a'+i%10)))
	}
	for b.Loop() {
		c, err := Scatter("latent", x, y, labels)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := prepare(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepareLine is the same for a 3-series, 500-point line chart
// (a training curve).
func BenchmarkPrepareLine(b *testing.B) {
	series := make([]Series, 3)
	for s := range series {
		for i := 0; i < 500; i++ {
			series[s].Y = append(series[s].Y, math.Exp(-float64(i)/100)*float64(s+1))
		}
	}
	for b.Loop() {
		c, err := Line("loss", series...)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := prepare(c); err != nil {
			b.Fatal(err)
		}
	}
}
