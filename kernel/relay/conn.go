package relay

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
)

// Connection is a Jupyter connection file.
type Connection struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnection reads and checks a connection file.
func ReadConnection(path string) (Connection, error) {
	var c Connection
	data, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("relay: connection file: %w", err)
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("relay: connection file %s is not JSON: %v", path, err)
	}
	if c.Transport == "" {
		c.Transport = "tcp"
	}
	if c.Transport != "tcp" {
		return c, fmt.Errorf("relay: connection file %s: transport %q is not supported (use tcp)", path, c.Transport)
	}
	if c.IP == "" {
		c.IP = "127.0.0.1"
	}
	for name, p := range map[string]int{"shell_port": c.ShellPort, "control_port": c.ControlPort, "stdin_port": c.StdinPort, "iopub_port": c.IOPubPort, "hb_port": c.HBPort} {
		if p <= 0 || p > 65535 {
			return c, fmt.Errorf("relay: connection file %s: %s %d is not a port", path, name, p)
		}
	}
	return c, nil
}

func (c Connection) addr(port int) string {
	return "tcp://" + net.JoinHostPort(c.IP, strconv.Itoa(port))
}

// backConnection returns a connection for GoNB on free loopback ports with
// c's key and scheme.
func backConnection(c Connection) (Connection, error) {
	b := c
	b.Transport, b.IP = "tcp", "127.0.0.1"
	ports, err := freePorts(5)
	if err != nil {
		return b, err
	}
	b.ShellPort, b.ControlPort, b.StdinPort, b.IOPubPort, b.HBPort = ports[0], ports[1], ports[2], ports[3], ports[4]
	return b, nil
}

// freePorts asks the kernel for n distinct free TCP ports on 127.0.0.1. They
// are released before GoNB binds them; the window is the same one Jupyter
// itself has between writing a connection file and the kernel binding.
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("relay: no free port on 127.0.0.1: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// writeBackConnection writes b into a new private directory (0700) as a 0600
// file with the basename of Jupyter's file: GoNB takes the kernel id from
// the name kernel-<id>.json, and widgets need that id.
func writeBackConnection(b Connection, frontPath string) (path, dir string, err error) {
	dir, err = os.MkdirTemp("", "gonbml-relay-")
	if err != nil {
		return "", "", fmt.Errorf("relay: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.RemoveAll(dir)
		return "", "", fmt.Errorf("relay: %w", err)
	}
	data, _ := json.MarshalIndent(b, "", "  ")
	path = filepath.Join(dir, filepath.Base(frontPath))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		os.RemoveAll(dir)
		return "", "", fmt.Errorf("relay: %w", err)
	}
	return path, dir, nil
}
