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

// Lower lower-cases s as Python's str.lower does, including the cases that
// change tokens: "İ" becomes "i̇" (i plus a combining dot) and a capital
// sigma at the end of a word becomes the final "ς".
func Lower(s string) string {
	if !strings.ContainsRune(s, 'İ') && !strings.ContainsRune(s, 'Σ') {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range rs {
		switch {
		case r == 'İ':
			b.WriteString("i\u0307")
		case r == 'Σ' && finalSigma(rs, i):
			b.WriteRune('ς')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// finalSigma applies Unicode's Final_Sigma condition at rs[i]: a cased
// letter before it and none after it, skipping case-ignorable runes.
func finalSigma(rs []rune, i int) bool {
	j := i - 1
	for j >= 0 && caseIgnorable(rs[j]) {
		j--
	}
	if j < 0 || !cased(rs[j]) {
		return false
	}
	k := i + 1
	for k < len(rs) && caseIgnorable(rs[k]) {
		k++
	}
	return k == len(rs) || !cased(rs[k])
}

func cased(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }

// caseIgnorable approximates Unicode's Case_Ignorable property: marks,
// format characters, modifiers and the word-internal punctuation.
func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '^', '`', '\u00b7', '\u2018', '\u2019', '\u2024', '\ufe13', '\ufe52', '\ufe55', '\uff07', '\uff0e', '\uff1a':
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
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
