package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// ServerConfig shapes a local redis-server.
type ServerConfig struct {
	// Dir holds the server's data (its append-only file) and log.
	// Default (""): a new temporary directory, removed by Close.
	Dir string
	// Password is required of clients (requirepass). Default (""): none.
	Password string
	// Fsync is the appendfsync policy: "always" (every write is on disk
	// before Redis answers: a kill -9 or power cut loses no acknowledged
	// write, at the cost of one fsync per write batch) or "everysec" (up
	// to a second of acknowledged writes may be lost in a power cut or a
	// kill of the machine; a killed redis-server process loses none, the
	// kernel still has them). Redis 7.0 has no WAITAOF, so a client
	// cannot ask for "always" per write. Default (""): "always".
	Fsync string
}

// Server is a redis-server process on 127.0.0.1 with append-only
// persistence on, for tests, benchmarks and notebooks.
type Server struct {
	cfg     ServerConfig
	port    int
	tempDir bool

	mu  sync.Mutex
	cmd *exec.Cmd
}

// ServerPath finds Debian's redis-server (install/install.sh installs
// it).
func ServerPath() (string, error) {
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/redis-server"); err == nil {
		return "/usr/bin/redis-server", nil
	}
	return "", errors.New("redisstore: redis-server not found (install/install.sh installs Debian's redis-server)")
}

// StartServer starts redis-server on a free port of 127.0.0.1 and waits
// until it answers. Close stops it.
func StartServer(cfg ServerConfig) (*Server, error) {
	if cfg.Fsync == "" {
		cfg.Fsync = "always"
	}
	if cfg.Fsync != "always" && cfg.Fsync != "everysec" {
		return nil, fmt.Errorf("redisstore: bad ServerConfig: Fsync is %q, want \"always\" or \"everysec\"", cfg.Fsync)
	}
	s := &Server{cfg: cfg}
	if s.cfg.Dir == "" {
		d, err := os.MkdirTemp("", "gonbml-redis-*")
		if err != nil {
			return nil, fmt.Errorf("redisstore: %w", err)
		}
		s.cfg.Dir, s.tempDir = d, true
	}
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("redisstore: no free port: %w", err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	if err := s.start(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// URL is the server's redis:// URL, with the password.
func (s *Server) URL() string {
	u := url.URL{Scheme: "redis", Host: "127.0.0.1:" + strconv.Itoa(s.port)}
	if s.cfg.Password != "" {
		u.User = url.UserPassword("", s.cfg.Password)
	}
	return u.String()
}

// Dir is the server's data directory.
func (s *Server) Dir() string { return s.cfg.Dir }

func (s *Server) start() error {
	path, err := ServerPath()
	if err != nil {
		return err
	}
	args := []string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.cfg.Dir,
		"--appendonly", "yes", "--appendfsync", s.cfg.Fsync, "--save", "",
		"--logfile", filepath.Join(s.cfg.Dir, "redis.log"), "--daemonize", "no"}
	if s.cfg.Password != "" {
		args = append(args, "--requirepass", s.cfg.Password)
	}
	cmd := exec.Command(path, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redisstore: start redis-server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	c, err := newClient(s.URL())
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		select {
		case werr := <-exited:
			log, _ := os.ReadFile(filepath.Join(s.cfg.Dir, "redis.log"))
			return fmt.Errorf("redisstore: redis-server exited (%v): %s", werr, tail(log, 400))
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redisstore: redis-server on port %d did not answer in 20 s: %v", s.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill stops the server at once (SIGKILL to its process group), as a
// crash would; Restart starts it again on the same port and data.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil && s.cmd.Process != nil {
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		for i := 0; i < 500 && syscall.Kill(s.cmd.Process.Pid, 0) == nil; i++ {
			time.Sleep(10 * time.Millisecond) // reaped by the Wait goroutine
		}
		s.cmd = nil
	}
}

// Restart starts a killed server again with the same port and data
// directory; it loads its append-only file before answering.
func (s *Server) Restart() error { return s.start() }

// Close kills the server and removes its temporary directory.
func (s *Server) Close() error {
	s.Kill()
	if s.tempDir {
		return os.RemoveAll(s.cfg.Dir)
	}
	return nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
