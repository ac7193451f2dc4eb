package chart

import (
	"errors"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// Table returns an HTML table with a header row; every row must have as
// many cells as the header. Cells are text (HTML-escaped).
func Table(header []string, rows [][]string) (string, error) {
	if err := checkTable(header, rows); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("<table class=\"gonbml-table\" style=\"border-collapse:collapse;font-size:13px\">\n<thead><tr>")
	for _, h := range header {
		fmt.Fprintf(&b, "<th style=\"text-align:left;padding:2px 10px;border-bottom:1px solid #888\">%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, "<td style=\"text-align:left;padding:2px 10px\">%s</td>", html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>")
	return b.String(), nil
}

func checkTable(header []string, rows [][]string) error {
	if len(header) == 0 {
		return errors.New("chart: table without columns")
	}
	for i, r := range rows {
		if len(r) != len(header) {
			return fmt.Errorf("chart: table row %d has %d cells, the header has %d", i, len(r), len(header))
		}
	}
	return nil
}

// TextTable formats the table as aligned plain text, the way ShowTable
// prints it outside a notebook.
func TextTable(header []string, rows [][]string) (string, error) {
	if err := checkTable(header, rows); err != nil {
		return "", err
	}
	widths := make([]int, len(header))
	for j, h := range header {
		widths[j] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		for j, c := range r {
			widths[j] = max(widths[j], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		for j, c := range cells {
			if j > 0 {
				b.WriteString("  ")
			}
			b.WriteString(c)
			if j < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(c)))
			}
		}
		b.WriteString("\n")
	}
	line(header)
	rule := make([]string, len(header))
	for j := range rule {
		rule[j] = strings.Repeat("-", widths[j])
	}
	line(rule)
	for _, r := range rows {
		line(r)
	}
	return b.String(), nil
}

// ShowTable displays an HTML table (with the plain-text table as its
// text/plain alternative); outside a notebook it prints the text table.
func ShowTable(header []string, rows [][]string) error {
	h, err := Table(header, rows)
	if err != nil {
		return err
	}
	t, _ := TextTable(header, rows)
	fe := current()
	if fe == nil {
		fmt.Fprint(stdout(), t)
		return nil
	}
	fe.display(map[string]any{"text/html": h, "text/plain": t}, "")
	fe.sync()
	return nil
}

// ShowMarkdown displays Markdown text (with $...$ math); outside a
// notebook it prints the text as is.
func ShowMarkdown(md string) error {
	fe := current()
	if fe == nil {
		fmt.Fprintln(stdout(), md)
		return nil
	}
	fe.display(map[string]any{"text/markdown": md, "text/plain": md}, "")
	fe.sync()
	return nil
}
