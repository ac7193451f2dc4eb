package chart

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/gonbml/gonbml/stdlib/safefile"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// OutputDir is where Show and ShowImages write files when the program does
// not run inside a notebook. Empty (the default) means
// os.TempDir()/gonbml-charts.
var OutputDir string

// Stdout receives what Show* functions print outside a notebook (file paths,
// text tables, Markdown). Nil (the default) means os.Stdout at the time of
// the call.
var Stdout io.Writer

func stdout() io.Writer {
	if Stdout == nil {
		return os.Stdout
	}
	return Stdout
}

// frontEnd is where displayed outputs go. The notebook implementation sends
// them to GoNB; tests install a recorder.
type frontEnd interface {
	// display shows a new output; with a non-empty id the output can later
	// be replaced by another display with the same id.
	display(data map[string]any, id string)
	// sync waits until everything displayed so far reached the kernel.
	sync()
}

type gonbFrontEnd struct{}

func (gonbFrontEnd) display(data map[string]any, id string) {
	d := &protocol.DisplayData{Data: make(map[protocol.MIMEType]any, len(data)), DisplayID: id}
	for k, v := range data {
		d.Data[protocol.MIMEType(k)] = v
	}
	gonbui.SendData(d)
}

func (gonbFrontEnd) sync() { gonbui.Sync() }

var (
	frontMu sync.Mutex
	// front is nil outside a notebook.
	front frontEnd
)

func init() {
	if gonbui.IsNotebook {
		front = gonbFrontEnd{}
	}
}

// current returns the front end, or nil outside a notebook.
func current() frontEnd {
	frontMu.Lock()
	defer frontMu.Unlock()
	return front
}

// InNotebook reports whether outputs go to a notebook (the program was
// started by the GoNB kernel) rather than to files and the terminal.
func InNotebook() bool { return current() != nil }

// outputDir returns OutputDir or its default and makes sure it exists.
func outputDir() (string, error) {
	dir := OutputDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "gonbml-charts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("chart: output directory: %w", err)
	}
	return dir, nil
}

// writeOutputFile writes data atomically to OutputDir under a name derived
// from prefix and the content's hash (so the same content gets the same
// file), and returns the path.
func writeOutputFile(prefix, ext string, data []byte) (string, error) {
	dir, err := outputDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	path := filepath.Join(dir, prefix+"-"+hex.EncodeToString(sum[:6])+ext)
	if err := writeFileAtomic(path, data); err != nil {
		return "", err
	}
	return path, nil
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place, so readers never see a half-written file.
func writeFileAtomic(path string, data []byte) error {
	if err := safefile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("chart: writing %s: %w", path, err)
	}
	return nil
}
