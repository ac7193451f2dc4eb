package lint

import (
	"encoding/json"
	"fmt"
	"strings"
)

// multiline is an nbformat multi-line string: stored either as one string
// or as a list of lines that are concatenated.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return fmt.Errorf("expected a string or a list of strings: %w", err)
	}
	*m = multiline(strings.Join(parts, ""))
	return nil
}

// notebook is the part of an nbformat 4 notebook the rules look at.
type notebook struct {
	NBFormat int          `json:"nbformat"`
	Cells    []cell       `json:"cells"`
	Metadata notebookMeta `json:"metadata"`
}

type notebookMeta struct {
	Kernelspec *struct {
		Name        string `json:"name"`
		DisplayName string `json:"display_name"`
		Language    string `json:"language"`
	} `json:"kernelspec"`
	Gonbml json.RawMessage `json:"gonbml"` // a gonbmlMeta; decoded by disables
}

// gonbmlMeta is metadata.gonbml of a notebook or a cell.
type gonbmlMeta struct {
	Lint struct {
		Disable []Disable `json:"disable"`
	} `json:"lint"`
}

// disables decodes metadata.gonbml; a malformed entry is reported by the
// caller as a lint-disable finding rather than rejecting the notebook.
func disables(raw json.RawMessage) ([]Disable, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var m gonbmlMeta
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m.Lint.Disable, nil
}

// Disable switches one rule off for a notebook (notebook metadata) or for
// one cell (cell metadata), at metadata.gonbml.lint.disable. Reason is
// required: a disabled rule without a reason is itself a finding.
type Disable struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

type cell struct {
	ID             string            `json:"id"`
	CellType       string            `json:"cell_type"`
	Source         multiline         `json:"source"`
	ExecutionCount *int              `json:"execution_count"`
	Outputs        []json.RawMessage `json:"outputs"`
	Metadata       struct {
		Gonbml json.RawMessage `json:"gonbml"` // a gonbmlMeta; decoded by disables
	} `json:"metadata"`
}

// output is one saved output of a code cell.
type output struct {
	OutputType string                     `json:"output_type"`
	Name       string                     `json:"name"`
	Text       multiline                  `json:"text"`
	Data       map[string]json.RawMessage `json:"data"`
	EName      string                     `json:"ename"`
	EValue     string                     `json:"evalue"`
	Traceback  []string                   `json:"traceback"`
}

// parseNotebook decodes an .ipynb file.
func parseNotebook(data []byte) (*notebook, error) {
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("lint: not a notebook: %w", err)
	}
	if nb.NBFormat != 4 {
		return nil, fmt.Errorf("lint: nbformat %d is not supported, want 4", nb.NBFormat)
	}
	for i, c := range nb.Cells {
		switch c.CellType {
		case "code", "markdown", "raw":
		default:
			return nil, fmt.Errorf("lint: cell %d: unknown cell_type %q", i+1, c.CellType)
		}
	}
	return &nb, nil
}

// texts returns the human-readable text of an output: stream text, text
// MIME types of display data and results, and error name, value and
// traceback.
func (o *output) texts() []string {
	var out []string
	if o.Text != "" {
		out = append(out, string(o.Text))
	}
	for mime, raw := range o.Data {
		if !strings.HasPrefix(mime, "text/") && mime != "application/json" {
			continue // images and other binary payloads
		}
		var m multiline
		if err := json.Unmarshal(raw, &m); err == nil {
			out = append(out, string(m))
		} else {
			out = append(out, string(raw))
		}
	}
	if o.EName != "" || o.EValue != "" {
		out = append(out, o.EName+": "+o.EValue)
	}
	out = append(out, o.Traceback...)
	return out
}
