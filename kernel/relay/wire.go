package relay

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"time"
)

// delimiter separates the routing identities from the signed parts of a
// Jupyter wire message.
var delimiter = []byte("<IDS|MSG>")

// signer signs and verifies messages with the connection file's key and
// scheme. An empty key means messages are not signed (the protocol allows
// it; the signature frame is then empty).
type signer struct {
	key  []byte
	hash func() hash.Hash
}

func newSigner(scheme, key string) (*signer, error) {
	s := &signer{key: []byte(key)}
	switch scheme {
	case "hmac-sha256", "":
		s.hash = sha256.New
	case "hmac-sha512":
		s.hash = sha512.New
	case "hmac-sha1":
		s.hash = sha1.New
	default:
		return nil, fmt.Errorf("relay: signature_scheme %q is not supported (use hmac-sha256)", scheme)
	}
	return s, nil
}

// sign returns the hex signature of the four signed parts.
func (s *signer) sign(parts ...[]byte) []byte {
	if len(s.key) == 0 {
		return nil
	}
	mac := hmac.New(s.hash, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// message is a wire message split into its frames. The signed parts are
// kept as raw JSON so that a message passed through unchanged is sent as
// it came, byte for byte, with its original signature.
type message struct {
	ids                               [][]byte
	sig                               []byte
	header, parent, metadata, content []byte
	buffers                           [][]byte

	hdr header // decoded header (msg_id, msg_type, session…)
}

// header is the part of a message header the relay reads.
type header struct {
	MsgID    string `json:"msg_id"`
	MsgType  string `json:"msg_type"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Version  string `json:"version"`
}

// parse splits frames into a message; ok is false for frames that are not
// a Jupyter message (no delimiter, or fewer than the four signed parts).
func parse(frames [][]byte) (m *message, ok bool) {
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], delimiter) {
		i++
	}
	if i == len(frames) || len(frames) < i+6 {
		return nil, false
	}
	m = &message{
		ids: frames[:i], sig: frames[i+1],
		header: frames[i+2], parent: frames[i+3], metadata: frames[i+4], content: frames[i+5],
		buffers: frames[i+6:],
	}
	if json.Unmarshal(m.header, &m.hdr) != nil {
		return nil, false
	}
	return m, true
}

// parentID returns the msg_id of the message's parent header, "" if none.
func (m *message) parentID() string {
	var p struct {
		MsgID string `json:"msg_id"`
	}
	_ = json.Unmarshal(m.parent, &p)
	return p.MsgID
}

// verify reports whether the message's signature is right.
func (s *signer) verify(m *message) bool {
	if len(s.key) == 0 {
		return true
	}
	return hmac.Equal(s.sign(m.header, m.parent, m.metadata, m.content), m.sig)
}

// frames returns the message as wire frames, signed again with s (call it
// after changing a part; an unchanged message could be sent as it came).
func (m *message) frames(s *signer) [][]byte {
	m.sig = s.sign(m.header, m.parent, m.metadata, m.content)
	out := make([][]byte, 0, len(m.ids)+6+len(m.buffers))
	out = append(out, m.ids...)
	out = append(out, delimiter, m.sig, m.header, m.parent, m.metadata, m.content)
	return append(out, m.buffers...)
}

// reply builds a new message of msgType answering parent (same session,
// parent header = parent's header, same routing identities), with content.
func reply(parent *message, msgType string, content any) *message {
	h := map[string]any{
		"msg_id":   newID(),
		"msg_type": msgType,
		"session":  parent.hdr.Session,
		"username": parent.hdr.Username,
		"date":     time.Now().UTC().Format(time.RFC3339Nano),
		"version":  "5.3",
	}
	if h["username"] == "" {
		h["username"] = "gonbml"
	}
	hb, _ := json.Marshal(h)
	cb, err := json.Marshal(content)
	if err != nil {
		cb = []byte("{}")
	}
	m := &message{ids: parent.ids, header: hb, parent: parent.header, metadata: []byte("{}"), content: cb}
	m.hdr = header{MsgID: h["msg_id"].(string), MsgType: msgType, Session: parent.hdr.Session}
	return m
}

// newID returns a random UUID (version 4) string.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
