package relay

import (
	"path"
)

// history is what the relay saw executed in this kernel session (GoNB
// does not answer history_request). Only the input is kept: GoNB's output
// is a stream of display messages, not one value per cell, so a
// history_request with output=true gets each input paired with null.
type history struct {
	entries []histEntry
}

type histEntry struct {
	Line int // the execution count GoNB gave the cell
	Code string
}

// session is the history session number of the running kernel: the relay
// keeps no history across kernels, so there is only the current one.
const session = 1

type historyRequest struct {
	Output  bool   `json:"output"`
	Access  string `json:"hist_access_type"`
	Session int    `json:"session"`
	Start   int    `json:"start"`
	Stop    int    `json:"stop"`
	N       *int   `json:"n"`
	Pattern string `json:"pattern"`
	Unique  bool   `json:"unique"`
}

func (h *history) add(line int, code string) {
	h.entries = append(h.entries, histEntry{Line: line, Code: code})
}

// answer returns the history_reply's history list for req: tail (the last
// n), range (start ≤ line < stop of the current session; session 0 or a
// negative session counts back from the current one, which is all there
// is) or search (glob pattern, newest last, n most recent, unique inputs).
func (h *history) answer(req historyRequest) []any {
	var sel []histEntry
	switch req.Access {
	case "tail":
		sel = h.entries
		if req.N != nil && *req.N >= 0 && *req.N < len(sel) {
			sel = sel[len(sel)-*req.N:]
		}
	case "range":
		if req.Session > 0 && req.Session != session {
			break
		}
		for _, e := range h.entries {
			if e.Line >= req.Start && (req.Stop == 0 || e.Line < req.Stop) {
				sel = append(sel, e)
			}
		}
	case "search":
		seen := map[string]bool{}
		for i := len(h.entries) - 1; i >= 0; i-- {
			e := h.entries[i]
			if ok, _ := path.Match(req.Pattern, e.Code); !ok && req.Pattern != "" {
				continue
			}
			if req.Unique && seen[e.Code] {
				continue
			}
			seen[e.Code] = true
			sel = append([]histEntry{e}, sel...)
			if req.N != nil && *req.N > 0 && len(sel) >= *req.N {
				break
			}
		}
	}
	out := make([]any, 0, len(sel))
	for _, e := range sel {
		if req.Output {
			out = append(out, []any{session, e.Line, []any{e.Code, nil}})
		} else {
			out = append(out, []any{session, e.Line, e.Code})
		}
	}
	return out
}
