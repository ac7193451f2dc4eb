package datasets

import (
	"strconv"
	"testing"
)

func TestParseShortDecimal(t *testing.T) {
	for _, s := range []string{"0", "1", "0.2", "0.624", "0.992", ".5", "12.000001", "0.12345678901234", "999999999999999"} {
		want, _ := strconv.ParseFloat(s, 64)
		got, ok := parseShortDecimal([]byte(s))
		if !ok || got != want {
			t.Errorf("%s: got %v, %v; ParseFloat %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", ".", "1.", "1e5", "-1", "0.1234567890123456", "1.2.3"} {
		if _, ok := parseShortDecimal([]byte(s)); ok {
			t.Errorf("%q accepted", s)
		}
	}
}
