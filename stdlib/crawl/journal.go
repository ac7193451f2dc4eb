package crawl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gonbml/gonbml/stdlib/safefile"
)

// The state directory holds two append-only files:
//
//	journal.jsonl  one record per line: the seeds, then one record per
//	               finished page with its new links, its item count and the
//	               size of the items file after its items were appended
//	items.jsonl    the items (or Config.Output)
//
// A page's items are appended first, then its journal record, each with a
// single write. After a crash a torn last journal line is dropped and the
// items file is cut back to the size the last complete record names, so
// items whose page record did not land are removed and emitted again by the
// resumed run: every page's items appear exactly once. Writes are not
// fsynced: the files survive a killed process, not a power cut.

const (
	journalFile = "journal.jsonl"
	itemsFile   = "items.jsonl"
)

type linkRecord struct {
	URL   string `json:"u"`
	Link  string `json:"l,omitempty"` // as linked, when not URL
	Depth int    `json:"d,omitempty"`
}

type pageRecord struct {
	Seeds   []linkRecord `json:"s,omitempty"` // a seed record has only Seeds
	URL     string       `json:"u,omitempty"`
	Aliases []string     `json:"a,omitempty"` // redirect targets owned by the page
	Links   []task       `json:"-"`
	NewURLs []linkRecord `json:"n,omitempty"`
	Class   string       `json:"c,omitempty"` // error class or skip reason
	Failed  bool         `json:"e,omitempty"`
	Parsed  bool         `json:"p,omitempty"`
	Items   int          `json:"i,omitempty"`
	Offset  int64        `json:"o,omitempty"` // items file size after this page
	Final   string       `json:"f,omitempty"` // final URL after redirects, when not URL
	Depth   int          `json:"d,omitempty"`
	Acks    []string     `json:"k,omitempty"` // pages whose items the callbacks have seen
}

type journal struct {
	jf      *os.File // nil without a state directory
	sink    *os.File // the items file with a state directory, else nil
	sinkBuf *bufio.Writer
	pipe    *io.PipeWriter // without a state directory: into safefile.Write
	written chan error     // safefile.Write's result
	out     string
	done    bool // finish ran
	off     int64
	recs    []pageRecord
	line    []byte
}

func openJournal(stateDir, output string) (*journal, error) {
	if stateDir == "" && output == "" {
		return nil, nil
	}
	j := &journal{out: output}
	if stateDir == "" {
		// The one atomic write: the items stream through a pipe into
		// safefile.Write, which renames the file into place when the pipe
		// is closed, and removes it when the pipe fails.
		pr, pw := io.Pipe()
		j.pipe, j.written = pw, make(chan error, 1)
		go func() {
			err := safefile.Write(output, func(w io.Writer) error {
				_, err := io.Copy(w, pr)
				return err
			})
			pr.CloseWithError(err) // unblocks a writer when the file failed
			j.written <- err
		}()
		j.sinkBuf = bufio.NewWriterSize(pw, 64<<10)
		return j, nil
	}
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("crawl: state dir: %w", err)
	}
	jf, err := os.OpenFile(filepath.Join(stateDir, journalFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("crawl: journal: %w", err)
	}
	j.jf = jf
	good, err := j.read()
	if err == nil {
		err = jf.Truncate(good)
	}
	if err == nil {
		_, err = jf.Seek(good, io.SeekStart)
	}
	if err != nil {
		jf.Close()
		return nil, fmt.Errorf("crawl: journal: %w", err)
	}
	if j.out == "" {
		j.out = filepath.Join(stateDir, itemsFile)
	}
	sf, err := os.OpenFile(j.out, os.O_RDWR|os.O_CREATE, 0o644)
	if err == nil {
		err = sf.Truncate(j.off)
	}
	if err == nil {
		_, err = sf.Seek(j.off, io.SeekStart)
	}
	if err != nil {
		jf.Close()
		return nil, fmt.Errorf("crawl: items file: %w", err)
	}
	j.sink = sf
	return j, nil
}

// read loads the complete records and returns the length of the valid
// prefix of the journal.
func (j *journal) read() (int64, error) {
	data, err := io.ReadAll(j.jf)
	if err != nil {
		return 0, err
	}
	var good int64
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break // torn last line
		}
		var rec pageRecord
		if err := json.Unmarshal(data[:i], &rec); err != nil {
			break
		}
		if rec.URL != "" {
			j.off = rec.Offset
		}
		j.recs = append(j.recs, rec)
		good += int64(i + 1)
		data = data[i+1:]
	}
	return good, nil
}

func (j *journal) writeRecord(rec *pageRecord) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	j.line = append(append(j.line[:0], b...), '\n')
	if _, err := j.jf.Write(j.line); err != nil {
		return fmt.Errorf("crawl: journal: %w", err)
	}
	return nil
}

func (j *journal) seeds(ts []task) error {
	if j == nil || j.jf == nil {
		return nil
	}
	rec := pageRecord{}
	for _, t := range ts {
		rec.Seeds = append(rec.Seeds, linkRecord{URL: t.url, Link: t.link, Depth: t.depth})
	}
	return j.writeRecord(&rec)
}

// ack records that the callbacks have seen the items of these pages.
func (j *journal) ack(pages []string) error {
	if j == nil || j.jf == nil || len(pages) == 0 {
		return nil
	}
	return j.writeRecord(&pageRecord{Acks: pages})
}

// unacked returns, in journal order, the items of the pages recorded but
// not acknowledged: the callbacks may not have seen them before the crash.
func (j *journal) unacked() ([]Item, []string, error) {
	acked := map[string]bool{}
	for _, rec := range j.recs {
		for _, a := range rec.Acks {
			acked[a] = true
		}
	}
	var items []Item
	var pages []string
	var data []byte
	var start int64
	for _, rec := range j.recs {
		if rec.URL == "" {
			continue
		}
		from := start
		start = rec.Offset
		if rec.Items == 0 || acked[rec.URL] {
			continue
		}
		if data == nil {
			b, err := os.ReadFile(j.out)
			if err != nil {
				return nil, nil, fmt.Errorf("crawl: items file: %w", err)
			}
			data = b
		}
		if rec.Offset > int64(len(data)) || from > rec.Offset {
			return nil, nil, fmt.Errorf("crawl: items file shorter than the journal says (%d < %d)", len(data), rec.Offset)
		}
		u := rec.URL
		if rec.Final != "" {
			u = rec.Final
		}
		lines := bytes.Split(bytes.TrimSuffix(data[from:rec.Offset], []byte("\n")), []byte("\n"))
		for i, l := range lines {
			items = append(items, Item{ID: itemID(rec.URL, i), URL: u, Depth: rec.Depth, JSON: bytes.Clone(l)})
		}
		pages = append(pages, rec.URL)
	}
	return items, pages, nil
}

// page appends the page's items to the items file, then its record.
func (j *journal) page(rec pageRecord, items []json.RawMessage) error {
	if len(items) > 0 && (j.sink != nil || j.sinkBuf != nil) {
		j.line = j.line[:0]
		for _, it := range items {
			j.line = append(append(j.line, it...), '\n')
		}
		var err error
		if j.sinkBuf != nil {
			_, err = j.sinkBuf.Write(j.line)
		} else {
			_, err = j.sink.Write(j.line)
		}
		if err != nil {
			return fmt.Errorf("crawl: items file: %w", err)
		}
		j.off += int64(len(j.line))
	}
	if j.jf == nil {
		return nil
	}
	for _, t := range rec.Links {
		rec.NewURLs = append(rec.NewURLs, linkRecord{URL: t.url, Link: t.link, Depth: t.depth})
	}
	rec.Items, rec.Offset = len(items), j.off
	return j.writeRecord(&rec)
}

// finish closes the files; a temporary items file is renamed into place.
func (j *journal) finish() error {
	if j == nil || j.done {
		return nil
	}
	j.done = true
	var errs []error
	if j.sinkBuf != nil {
		errs = append(errs, j.sinkBuf.Flush())
	}
	if j.sink != nil {
		errs = append(errs, j.sink.Close())
	}
	if j.jf != nil {
		errs = append(errs, j.jf.Close())
	}
	if j.pipe != nil {
		if err := errors.Join(errs...); err != nil {
			j.pipe.CloseWithError(err)
		} else {
			j.pipe.Close()
		}
		if err := <-j.written; err != nil {
			return fmt.Errorf("crawl: output: %w", err)
		}
		return nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("crawl: state: %w", err)
	}
	return nil
}

func (j *journal) close() { j.finish() }

// restore rebuilds the seen set, the frontier and the counts from the
// journal.
func (r *run) restore() error {
	done := make(map[string]bool)
	var order []task
	st := &r.stats
	for _, rec := range r.j.recs {
		for _, s := range rec.Seeds {
			if r.claim(s.URL) {
				order = append(order, task{url: s.URL, link: s.Link, depth: s.Depth})
			}
		}
		if rec.URL == "" {
			continue
		}
		done[rec.URL] = true
		r.claim(rec.URL)
		for _, a := range rec.Aliases {
			done[a] = true
			r.claim(a)
		}
		for _, l := range rec.NewURLs {
			if r.claim(l.URL) {
				order = append(order, task{url: l.URL, link: l.Link, depth: l.Depth})
			}
		}
		st.Pages++
		st.Resumed++
		st.Items += rec.Items
		if rec.Parsed {
			st.Fetched++
		}
		if rec.Class != "" {
			if rec.Failed {
				st.Errors[rec.Class]++
			} else {
				st.Skipped[rec.Class]++
			}
		}
	}
	for _, t := range order {
		if !done[t.url] {
			r.push(t)
		}
	}
	return nil
}
