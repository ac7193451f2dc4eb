package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations never end a sentence when followed by a period (compared
// lower-case, without the final period).
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sr": true, "jr": true,
	"st": true, "mt": true, "rev": true, "hon": true, "gen": true, "gov": true, "sen": true,
	"rep": true, "capt": true, "col": true, "lt": true, "sgt": true, "cmdr": true, "adm": true,
	"messrs": true, "mme": true, "mlle": true, "esq": true,
	"vs": true, "etc": true, "e.g": true, "i.e": true, "cf": true, "viz": true, "al": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "dept": true, "univ": true,
	"no": true, "vol": true, "fig": true, "pp": true, "approx": true, "ca": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
}

// closers may follow the sentence-ending punctuation inside the sentence.
const closers = "\"'”’)]»"

// Sentences splits s into sentences. A sentence ends at '.', '!', '?' or
// '…' (with any closing quotes or brackets after it) followed by space and
// then an upper-case letter, a digit or an opening quote; and always at a
// blank line. A period after a known abbreviation (Mr., Dr., etc.), a
// single initial (J. Smith) or a dotted acronym (U.S.) does not end a
// sentence. Single line breaks are wrapping: runs of white space become
// one space. Empty sentences are dropped.
func Sentences(s string) []string {
	var out []string
	var cur strings.Builder
	emit := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	for _, para := range splitParagraphs(s) {
		p := strings.Join(strings.Fields(para), " ")
		start := 0
		for i := 0; i < len(p); {
			r, size := utf8.DecodeRuneInString(p[i:])
			i += size
			if r != '.' && r != '!' && r != '?' && r != '…' {
				continue
			}
			// Swallow repeated terminators and closing quotes/brackets.
			end := i
			for end < len(p) {
				r2, s2 := utf8.DecodeRuneInString(p[end:])
				if r2 == '.' || r2 == '!' || r2 == '?' || r2 == '…' || strings.ContainsRune(closers, r2) {
					end += s2
					continue
				}
				break
			}
			if end >= len(p) || p[end] != ' ' {
				i = end
				continue
			}
			next, _ := utf8.DecodeRuneInString(p[end+1:])
			if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("\"'“‘(«", next)) {
				i = end
				continue
			}
			if r == '.' && !strings.ContainsAny(p[i:end], ".!?…") && abbreviationBefore(p[start:i-1]) {
				i = end
				continue
			}
			cur.WriteString(p[start:end])
			emit()
			start, i = end+1, end+1
		}
		cur.WriteString(p[start:])
		emit()
	}
	return out
}

// splitParagraphs splits at blank lines (lines with only white space).
func splitParagraphs(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var paras []string
	var b strings.Builder
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			paras = append(paras, b.String())
			b.Reset()
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return append(paras, b.String())
}

// abbreviationBefore reports whether the word ending text (the text before
// a period) is an abbreviation, a single initial or a dotted acronym.
func abbreviationBefore(text string) bool {
	w := text
	if i := strings.LastIndexAny(text, " \"'“‘(«"); i >= 0 {
		w = text[i+1:]
	}
	if w == "" {
		return false
	}
	if abbreviations[strings.ToLower(w)] {
		return true
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r) // an initial: "J. Smith"
	}
	// Dotted acronyms: U.S, U.S.A, Ph.D (every dot-separated piece short).
	if strings.Contains(w, ".") {
		for piece := range strings.SplitSeq(w, ".") {
			if n := utf8.RuneCountInString(piece); n == 0 || n > 2 {
				return false
			}
		}
		return true
	}
	return false
}
