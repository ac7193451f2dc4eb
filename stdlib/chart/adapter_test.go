package chart

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/gonbml/gonbml/stdlib/crawl"
	"github.com/gonbml/gonbml/stdlib/embed"
	"github.com/gonbml/gonbml/stdlib/fit"
	"github.com/gonbml/gonbml/stdlib/nmf"
	"github.com/gonbml/gonbml/stdlib/vae"
)

// The adapter fits the Progress callback field of every algorithm package
// (this file does not compile otherwise) and shows what each reports.
func TestCallbackFitsTheAlgorithmPackages(t *testing.T) {
	var buf bytes.Buffer
	bar := func(title string) *Progress {
		p, err := ProgressOptions{Writer: &buf, Interval: time.Hour}.New(title, 0)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	nmfCfg := nmf.Config{Progress: Callback(bar("nmf"), func(q nmf.Progress) Step {
		return Step{Done: q.Iter, Total: q.MaxIter, Loss: q.Err}
	})}
	vaeCfg := vae.Config{Progress: Callback(bar("vae"), func(q vae.Progress) Step {
		return Step{Done: q.Epoch, Total: q.Epochs, Loss: q.Train.NegELBO}
	})}
	w2v := embed.Word2VecConfig{Progress: Callback(bar("word2vec"), func(q embed.Progress) Step {
		return Step{Done: int(q.Words), Total: int(q.TotalWords)}
	})}
	crawlCfg := crawl.Config{Progress: Callback(bar("crawl"), func(q fit.Progress) Step {
		return Step{Done: int(q.Step), Total: int(q.Step) + int(q.Metrics["frontier"]+q.Metrics["in-flight"])}
	})}
	calls := []error{
		nmfCfg.Progress(nmf.Progress{Iter: 200, MaxIter: 200, Err: 12.5}),
		vaeCfg.Progress(vae.Progress{Epoch: 10, Epochs: 10, Train: vae.Terms{NegELBO: 98.2}}),
		w2v.Progress(embed.Progress{Words: 500, TotalWords: 1000}),
		crawlCfg.Progress(fit.Progress{Step: 3, Metrics: map[string]float64{"frontier": 7}}),
	}
	for i, err := range calls {
		if err != nil {
			t.Errorf("callback %d returned %v, want nil (the bar never stops the work)", i, err)
		}
	}
	for _, want := range []string{"nmf 100% ", "200/200", "loss 12.5", "vae 100% ", "loss 98.2", "word2vec  50% ", "crawl  30% ", "3/10"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("progress lines lack %q:\n%s", want, buf.String())
		}
	}
}
