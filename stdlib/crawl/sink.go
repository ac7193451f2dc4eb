package crawl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// ItemSink is an exactly-once destination for items across kill -9 and
// resume: a JSON-lines file, one {"id", "url", "depth", "item"} object per
// line, that skips the Item.IDs it already holds. Callbacks get items at
// least once across a crash (those recorded but not acknowledged are
// delivered again on resume, with the same ID); an ItemSink fed from
// OnItem or the Items loop turns that into exactly once:
//
//	sink, err := crawl.OpenItemSink(filepath.Join(stateDir, "sink.jsonl"))
//	…
//	defer sink.Close()
//	c.OnItem(func(it crawl.Item) {
//		if _, err := sink.Add(it); err != nil { … }
//	})
//
// Each item is one write(2) of one line; a line torn by a kill in the
// middle of that write is cut off when the sink is opened again, and its
// item, not acknowledged, comes again. The file survives the death of the
// process (not of the machine: Sync after Add for that). One process at a
// time may hold a sink; it keeps the IDs it holds in memory.
type ItemSink struct {
	mu   sync.Mutex
	f    *os.File
	path string
	size int64
	ids  map[string]struct{}
}

// sinkLine is one line of an ItemSink file.
type sinkLine struct {
	ID    string          `json:"id"`
	URL   string          `json:"url"`
	Depth int             `json:"depth"`
	Item  json.RawMessage `json:"item"`
}

// OpenItemSink opens or creates the sink file at path, reads the IDs it
// holds and cuts off a last line left incomplete by a kill.
func OpenItemSink(path string) (*ItemSink, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("crawl: item sink: %w", err)
	}
	s := &ItemSink{f: f, path: path, ids: map[string]struct{}{}}
	if err := s.load(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func (s *ItemSink) load() error {
	br := bufio.NewReader(s.f)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			if len(line) > 0 { // torn by a kill: its item was not acknowledged
				if err := s.f.Truncate(s.size); err != nil {
					return fmt.Errorf("crawl: item sink %s: cut the torn last line: %w", s.path, err)
				}
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("crawl: item sink %s: %w", s.path, err)
		}
		var l sinkLine
		if err := json.Unmarshal(bytes.TrimSpace(line), &l); err != nil || l.ID == "" {
			return fmt.Errorf("crawl: item sink %s: line %d is not an item line", s.path, n)
		}
		s.ids[l.ID] = struct{}{}
		s.size += int64(len(line))
	}
}

// Add appends it unless an item with its ID is already in the sink, and
// reports whether it was added.
func (s *ItemSink) Add(it Item) (bool, error) {
	if it.ID == "" {
		return false, fmt.Errorf("crawl: item sink %s: item of %s has no ID", s.path, it.URL)
	}
	if !json.Valid(it.JSON) {
		return false, fmt.Errorf("crawl: item sink %s: item %s is not JSON", s.path, it.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return false, fmt.Errorf("crawl: item sink %s: closed", s.path)
	}
	if _, dup := s.ids[it.ID]; dup {
		return false, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sinkLine{ID: it.ID, URL: it.URL, Depth: it.Depth, Item: it.JSON}); err != nil {
		return false, fmt.Errorf("crawl: item sink %s: %w", s.path, err)
	}
	b := buf.Bytes() // one line, '\n' ended
	if n, err := s.f.Write(b); err != nil {
		if n > 0 {
			s.f.Truncate(s.size) // no half line for the next Add to follow
		}
		return false, fmt.Errorf("crawl: item sink %s: %w", s.path, err)
	}
	s.size += int64(len(b))
	s.ids[it.ID] = struct{}{}
	return true, nil
}

// Len is the number of items in the sink.
func (s *ItemSink) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ids)
}

// Sync flushes the file to stable storage (needed only against a crash of
// the machine, not of the process).
func (s *ItemSink) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return fmt.Errorf("crawl: item sink %s: closed", s.path)
	}
	return s.f.Sync()
}

// Close closes the file.
func (s *ItemSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
