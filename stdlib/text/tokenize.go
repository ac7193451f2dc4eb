package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isWord reports whether r is a word character as Python's Unicode \w
// defines it: letters, numbers and the underscore (combining marks are
// not word characters there, so they split tokens).
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Lower lower-cases s as Python's str.lower does for the cases that change
// tokens: in particular "İ" becomes "i̇" (i plus a combining dot).
func Lower(s string) string {
	if !strings.ContainsRune(s, 'İ') {
		return strings.ToLower(s)
	}
	return strings.ToLower(strings.ReplaceAll(s, "İ", "i\u0307"))
}

// Tokenize lower-cases s and returns its tokens: every maximal run of at
// least two word characters, which is what scikit-learn's default
// token_pattern (?u)\b\w\w+\b matches.
func Tokenize(s string) []string {
	return appendTokens(nil, Lower(s))
}

// Tokens returns the tokens of s without lower-casing it.
func Tokens(s string) []string { return appendTokens(nil, s) }

// appendTokens appends the runs of ≥ 2 word characters in s to dst.
func appendTokens(dst []string, s string) []string {
	start, n := -1, 0 // start byte of the current run, its rune count
	for i, r := range s {
		if isWord(r) {
			if start < 0 {
				start, n = i, 0
			}
			n++
			continue
		}
		if start >= 0 && n >= 2 {
			dst = append(dst, s[start:i])
		}
		start = -1
	}
	if start >= 0 && n >= 2 {
		dst = append(dst, s[start:])
	}
	return dst
}
