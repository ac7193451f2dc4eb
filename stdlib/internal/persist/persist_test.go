package persist

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

type model struct {
	Name string
	W    []float64
}

func TestRoundTripAndVersions(t *testing.T) {
	var buf bytes.Buffer
	in := model{"m", []float64{1, 2}}
	if err := Save(&buf, "test.Model", 2, in); err != nil {
		t.Fatal(err)
	}
	saved := buf.Bytes()
	var out model
	if err := Load(bytes.NewReader(saved), "test.Model", 2, &out); err != nil || out.Name != "m" || len(out.W) != 2 {
		t.Fatalf("round trip: %v %+v", err, out)
	}
	for _, tc := range []struct {
		kind    string
		version int
		want    string
	}{
		{"test.Model", 3, "format version 2, this build reads version 3"},
		{"other.Model", 2, "holds a test.Model, not a other.Model"},
	} {
		err := Load(bytes.NewReader(saved), tc.kind, tc.version, &out)
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%s v%d) = %v, want ErrFormat mentioning %q", tc.kind, tc.version, err, tc.want)
		}
	}
	for _, junk := range []string{"", "hello", strings.Repeat("x", 1000)} {
		if err := Load(strings.NewReader(junk), "test.Model", 2, &out); !errors.Is(err, ErrFormat) {
			t.Errorf("Load(%.10q) = %v, want ErrFormat", junk, err)
		}
	}
}
