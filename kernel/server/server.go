// Package server starts a real Jupyter notebook server on 127.0.0.1 with a
// token, for `make notebook` and for browser tests.
package server

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/gonbml/gonbml/kernel/setup"
)

// Options configure a server. The zero value serves the working directory
// on a free port with a random token.
type Options struct {
	Dir   string   // notebook directory
	Port  int      // 0 picks a free port
	Token string   // "" generates one
	Env   []string // nil inherits os.Environ()
	Log   io.Writer
}

// Server is a running notebook server.
type Server struct {
	URL   string // base URL, e.g. http://127.0.0.1:8888/
	Token string
	cmd   *exec.Cmd
	done  chan error
}

// Start launches Debian's (or $JUPYTER_PYTHON's) classic notebook server and
// waits until it answers.
func Start(ctx context.Context, o Options) (*Server, error) {
	py, err := setup.JupyterPython()
	if err != nil {
		return nil, err
	}
	if o.Port == 0 {
		if o.Port, err = freePort(); err != nil {
			return nil, err
		}
	}
	if o.Token == "" {
		b := make([]byte, 24)
		rand.Read(b)
		o.Token = hex.EncodeToString(b)
	}
	// The token goes through a 0600 file named by JUPYTER_TOKEN_FILE, not the
	// command line (any user can read that in ps) nor JUPYTER_TOKEN (kernels
	// inherit the server's environment, and a cell printing it would save the
	// token into a notebook). The file is removed once the server has read it.
	tokenFile, err := writeTokenFile(o.Token)
	if err != nil {
		return nil, err
	}
	args := []string{"-m", "notebook", "--no-browser", "--ip=127.0.0.1",
		fmt.Sprintf("--port=%d", o.Port), "--port-retries=0"}
	if o.Dir != "" {
		args = append(args, "--notebook-dir="+o.Dir)
	}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root")
	}
	cmd := exec.Command(py, args...)
	env := o.Env
	if env == nil {
		env = os.Environ()
	}
	for _, kv := range env {
		if !strings.HasPrefix(kv, "JUPYTER_TOKEN=") && !strings.HasPrefix(kv, "JUPYTER_TOKEN_FILE=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "JUPYTER_TOKEN_FILE="+tokenFile)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	err = cmd.Start()
	if err != nil {
		os.Remove(tokenFile)
		return nil, fmt.Errorf("server: %w", err)
	}
	defer os.Remove(tokenFile) // read by the time the server answers, or it failed
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if o.Log != nil {
				fmt.Fprintln(o.Log, sc.Text())
			}
		}
	}()
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d/", o.Port), Token: o.Token, cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); pw.Close() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"api/status?token="+o.Token, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("server: the notebook server exited: %v", err)
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("server: no answer from %s within 60s", s.URL)
		}
	}
}

// NotebookURL returns the URL that opens path (relative to Dir) with the token.
func (s *Server) NotebookURL(path string) string {
	return s.URL + "notebooks/" + strings.TrimPrefix(path, "/") + "?token=" + s.Token
}

// Stop ends the server and the kernels it started.
func (s *Server) Stop() {
	if s.cmd.Process == nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

// writeTokenFile writes token to a new file only its owner can read.
func writeTokenFile(token string) (string, error) {
	f, err := os.CreateTemp("", "gonbml-token-") // CreateTemp makes it 0600
	if err != nil {
		return "", fmt.Errorf("server: token file: %w", err)
	}
	if _, err := f.WriteString(token); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("server: token file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("server: token file: %w", err)
	}
	return f.Name(), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
