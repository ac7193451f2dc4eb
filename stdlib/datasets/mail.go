package datasets

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// Message is one e-mail with its headers decoded to UTF-8 and a clean text
// body.
type Message struct {
	// Group is the corpus folder: easy-ham-1, easy-ham-2, hard-ham-1,
	// spam-1 or spam-2 (empty for ParseMessage).
	Group string
	// ID is the file name without extension, "NNNNN.md5" (empty for
	// ParseMessage).
	ID string
	// Subject and From are the decoded header values (RFC 2047 words and
	// legacy charsets converted to UTF-8).
	Subject, From string
	// List names the mailing list the message came through: the id in
	// its List-Id header (the part in angle brackets), else the address of
	// its Mailing-List, X-Mailing-List or List-Post header, lower-cased;
	// empty when the message came through no list.
	List string
	// Date is the parsed Date header; the zero time when it is missing or
	// unparseable.
	Date time.Time
	// Body is the readable text: MIME parts walked, transfer encodings
	// undone, charsets converted to UTF-8, HTML turned into text,
	// attachments and non-text parts dropped.
	Body string
}

// Spam reports whether the message comes from a spam group.
func (m Message) Spam() bool { return strings.HasPrefix(m.Group, "spam") }

// maxMIMEDepth bounds nesting of multiparts and attached messages.
const maxMIMEDepth = 16

// ParseMessage parses one raw RFC 822 message (an mbox "From " line first
// is allowed). It is lenient the way mail readers are: malformed headers,
// bad base64, unknown charsets and broken multiparts degrade to the text
// that can be recovered instead of failing. Only empty input is an error.
func ParseMessage(raw []byte) (Message, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return Message{}, errors.New("datasets: empty message")
	}
	h, body := splitHeader(raw, true)
	m := Message{
		Subject: decodeHeader(h.Get("Subject")),
		From:    decodeHeader(h.Get("From")),
		List:    listID(h),
	}
	if d := h.Get("Date"); d != "" {
		if t, err := mail.ParseDate(d); err == nil {
			m.Date = t
		}
	}
	m.Body = tidy(entityText(h, body, 0))
	return m, nil
}

// splitHeader separates the header block from the body, keeping only the
// wantedHeaders. Folded lines are unfolded; a line that is not a header
// ends the block (some spam has no blank line). With mbox, a leading
// "From " envelope line is skipped.
func splitHeader(raw []byte, mbox bool) (textproto.MIMEHeader, []byte) {
	h := textproto.MIMEHeader{}
	rest := raw
	if mbox && bytes.HasPrefix(rest, []byte("From ")) {
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[i+1:]
		} else {
			return h, nil
		}
	}
	var key string // the wanted field being read, or ""
	var val []byte
	inField := false // a field (wanted or not) has started: continuations belong to it
	flush := func() {
		if key != "" {
			h[key] = append(h[key], strings.TrimSpace(string(val)))
		}
		key, val = "", val[:0]
	}
	for len(rest) > 0 {
		line := rest
		next := []byte(nil)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, next = rest[:i], rest[i+1:]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			flush()
			return h, next
		}
		if (line[0] == ' ' || line[0] == '\t') && inField {
			if key != "" {
				val = append(val, ' ')
				val = append(val, bytes.TrimSpace(line)...)
			}
			rest = next
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || bytes.ContainsAny(line[:colon], " \t") {
			// Not a header line: the body starts here.
			flush()
			return h, rest
		}
		flush()
		inField = true
		key = wantedHeader(line[:colon])
		if key != "" {
			val = append(val[:0], bytes.TrimSpace(line[colon+1:])...)
		}
		rest = next
	}
	flush()
	return h, nil
}

// wantedHeaders are the fields the parser reads; others (Received, …)
// are skipped without being stored.
var wantedHeaders = []string{"Subject", "From", "Date", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
	"List-Id", "Mailing-List", "X-Mailing-List", "List-Post"}

// listAddress finds the list's id or address in a list header.
var listAddress = regexp.MustCompile(`<(?:mailto:)?([^<>\s]+)>|(?:mailto:)?([^\s<>;@]+@[^\s<>;]+)`)

// listID is Message.List: the first list header that names a list.
func listID(h textproto.MIMEHeader) string {
	for _, k := range []string{"List-Id", "Mailing-List", "X-Mailing-List", "List-Post"} {
		if m := listAddress.FindStringSubmatch(h.Get(k)); m != nil {
			return strings.ToLower(m[1] + m[2])
		}
	}
	return ""
}

// Source is who a message's repeated lines (footers) come from: its List,
// else the address in its From header, lower-cased.
func (m Message) Source() string {
	if m.List != "" {
		return m.List
	}
	if a, err := mail.ParseAddress(m.From); err == nil {
		return strings.ToLower(a.Address)
	}
	return strings.ToLower(strings.TrimSpace(m.From))
}

// wantedHeader returns the canonical name of a wanted field, or "".
func wantedHeader(name []byte) string {
	for _, w := range wantedHeaders {
		if len(name) == len(w) && bytes.EqualFold(name, []byte(w)) {
			return w
		}
	}
	return ""
}

var wordDecoder = &mime.WordDecoder{
	CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
		return charset.NewReaderLabel(label, r)
	},
}

// decodeHeader decodes RFC 2047 encoded words and makes the result valid
// UTF-8 (raw 8-bit headers are read as Windows-1252).
func decodeHeader(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		s = d
	}
	return strings.TrimSpace(toUTF8([]byte(s), ""))
}

// contentType returns the lower-case media type and parameters, defaulting
// to text/plain. Malformed parameters are recovered where possible.
func contentType(h textproto.MIMEHeader) (string, map[string]string) {
	v := h.Get("Content-Type")
	if v == "" {
		return "text/plain", map[string]string{}
	}
	media, params, err := mime.ParseMediaType(v)
	if media == "" {
		media = strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0]))
		if i := strings.IndexAny(media, " \t"); i >= 0 {
			media = media[:i]
		}
	}
	if err != nil || params == nil {
		params = looseParams(v)
	}
	if !strings.Contains(media, "/") {
		media = "text/plain"
	}
	return media, params
}

// looseParams extracts name=value pairs from a header value that
// mime.ParseMediaType rejects (duplicate or unquoted special characters).
func looseParams(v string) map[string]string {
	p := map[string]string{}
	for _, f := range strings.Split(v, ";")[1:] {
		name, val, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		name = strings.ToLower(strings.TrimSpace(name))
		val = strings.TrimSpace(val)
		if strings.HasPrefix(val, `"`) {
			val = val[1:]
			if i := strings.IndexByte(val, '"'); i >= 0 {
				val = val[:i]
			}
		} else if i := strings.IndexAny(val, " \t"); i >= 0 {
			val = val[:i]
		}
		if _, dup := p[name]; !dup && name != "" {
			p[name] = val
		}
	}
	return p
}

// entityText returns the readable text of one MIME entity.
func entityText(h textproto.MIMEHeader, body []byte, depth int) string {
	if depth > maxMIMEDepth {
		return ""
	}
	media, params := contentType(h)
	if h.Get("Content-Type") == "" {
		if b := inferBoundary(body); b != "" {
			// The headers were lost but the body is MIME: read it as
			// alternatives, as that is what such mail almost always is.
			media, params = "multipart/alternative", map[string]string{"boundary": b}
		}
	}
	if disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition")); disp == "attachment" {
		return ""
	}
	switch {
	case strings.HasPrefix(media, "multipart/"):
		parts := splitMultipart(body, params["boundary"])
		if parts == nil {
			// No boundary found: read the body as plain text.
			return textBody(decodeTransfer(h, body), params["charset"], false)
		}
		var texts []string
		plain := -1
		for _, p := range parts {
			ph, pb := splitHeader(p, false)
			t := strings.TrimSpace(entityText(ph, pb, depth+1))
			if t == "" {
				continue
			}
			if pm, _ := contentType(ph); pm == "text/plain" && plain < 0 {
				plain = len(texts)
			}
			texts = append(texts, t)
		}
		if media == "multipart/alternative" && len(texts) > 0 {
			// The same content in several forms: prefer plain text.
			if plain >= 0 {
				return texts[plain]
			}
			return texts[0]
		}
		return strings.Join(texts, "\n\n")
	case media == "message/rfc822":
		nh, nb := splitHeader(decodeTransfer(h, body), true)
		return entityText(nh, nb, depth+1)
	case media == "text/html":
		return textBody(decodeTransfer(h, body), params["charset"], true)
	case media == "text/rfc822-headers":
		return "" // headers of a bounced message, not content
	case strings.HasPrefix(media, "text/"):
		return textBody(decodeTransfer(h, body), params["charset"], false)
	default:
		return "" // images, applications, signatures: not text
	}
}

// inferBoundary returns the boundary of a body whose first lines (after an
// optional preamble) are a "--boundary" line followed by a Content- header,
// or "".
func inferBoundary(body []byte) string {
	rest := body
	for range 30 {
		line, after, ok := bytes.Cut(rest, []byte("\n"))
		if !ok {
			return ""
		}
		line = bytes.TrimRight(line, " \t\r")
		if len(line) > 2 && bytes.HasPrefix(line, []byte("--")) &&
			len(after) >= 8 && bytes.EqualFold(after[:8], []byte("content-")) {
			return string(line[2:])
		}
		rest = after
	}
	return ""
}

// splitMultipart returns the raw parts between "--boundary" lines, or nil
// when the boundary is empty or never occurs.
func splitMultipart(body []byte, boundary string) [][]byte {
	if boundary == "" {
		return nil
	}
	delim := []byte("--" + boundary)
	var parts [][]byte
	start := -1
	for pos := 0; pos < len(body); {
		end := bytes.IndexByte(body[pos:], '\n')
		lineEnd := len(body)
		if end >= 0 {
			lineEnd = pos + end
		}
		line := bytes.TrimRight(body[pos:lineEnd], " \t\r")
		if bytes.HasPrefix(line, delim) {
			tail := line[len(delim):]
			closing := bytes.Equal(tail, []byte("--"))
			if len(tail) == 0 || closing {
				if start >= 0 {
					parts = append(parts, body[start:max(start, pos-1)])
				}
				if closing {
					return parts
				}
				start = lineEnd + 1
				if start > len(body) {
					start = len(body)
				}
			}
		}
		pos = lineEnd + 1
	}
	if start >= 0 && start < len(body) {
		parts = append(parts, body[start:]) // unterminated last part
	}
	return parts
}

// decodeTransfer undoes the Content-Transfer-Encoding leniently.
func decodeTransfer(h textproto.MIMEHeader, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		return decodeBase64(body)
	case "quoted-printable":
		return decodeQP(body)
	case "", "7bit", "8bit":
		if looksLikeQP(body) {
			return decodeQP(body) // the sender forgot the header
		}
	}
	return body
}

// looksLikeQP reports whether an undeclared body is quoted-printable: many
// soft line breaks and encoded spaces or equals signs.
func looksLikeQP(b []byte) bool {
	soft := bytes.Count(b, []byte("=\n")) + bytes.Count(b, []byte("=\r\n"))
	if soft < 3 {
		return false
	}
	return bytes.Count(b, []byte("=20"))+bytes.Count(b, []byte("=3D")) >= 3
}

// decodeBase64 decodes base64 ignoring whitespace and missing padding; on
// corrupt input it keeps what decoded before the error.
func decodeBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '=':
			// padding: stop at the first '=' run, as decoders do
			goto done
		case c == ' ', c == '\t', c == '\r', c == '\n':
		default:
			goto done // not base64: keep what came before
		}
	}
done:
	if len(clean)%4 == 1 { // a lone trailing character carries no whole byte
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, err := base64.RawStdEncoding.Decode(out, clean)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			k := int(ce) / 4 * 4
			n, _ = base64.RawStdEncoding.Decode(out, clean[:k])
		}
	}
	return out[:n]
}

// decodeQP decodes quoted-printable leniently: "=" + line break joins
// lines, "=HH" is a byte, anything else is kept as is.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 < len(b) && b[i+1] == '\n':
			i++
		case i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
			i += 2
		case i+2 < len(b) && unhex(b[i+1]) >= 0 && unhex(b[i+2]) >= 0:
			out = append(out, byte(unhex(b[i+1])<<4|unhex(b[i+2])))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}

// toUTF8 converts b from the named charset to UTF-8. Unknown or missing
// charsets keep valid UTF-8 as is and read anything else as Windows-1252
// (the usual reality behind "us-ascii" or "iso-8859-1" with 8-bit bytes).
func toUTF8(b []byte, label string) string {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch label {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "default", "default_charset", "unknown-8bit", "x-unknown":
	default:
		if enc, _ := charset.Lookup(label); enc != nil {
			if out, err := enc.NewDecoder().Bytes(b); err == nil {
				return strings.ToValidUTF8(string(out), "\uFFFD")
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// textBody converts a decoded text part to UTF-8; HTML (declared, or plain
// text that is really HTML, as much spam is) becomes text.
func textBody(b []byte, label string, isHTML bool) string {
	if !isHTML && looksLikeHTML(b) {
		isHTML = true
	}
	if isHTML && label == "" && !utf8.Valid(b) {
		_, label, _ = charset.DetermineEncoding(b, "text/html")
	}
	s := toUTF8(b, label)
	if isHTML {
		return htmlToText(s)
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// looksLikeHTML reports whether a body declared as plain text is an HTML
// document or made of HTML markup.
func looksLikeHTML(b []byte) bool {
	head := b[:min(len(b), 4096)]
	lower := bytes.ToLower(head)
	for _, tag := range []string{"<html", "<body", "<!doctype html", "<table", "<font", "<div", "<p>", "<br>", "<a href"} {
		if bytes.Contains(lower, []byte(tag)) {
			return true
		}
	}
	return false
}

// blockTags start a new line in the text rendering of HTML.
var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "tr": true, "li": true, "table": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "hr": true, "ul": true, "ol": true,
	"center": true, "form": true, "title": true, "dt": true, "dd": true,
}

// htmlToText renders HTML as text: scripts, styles and comments dropped,
// entities decoded, block elements on their own lines.
func htmlToText(s string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		return s
	}
	doc.Find("script, style, noscript, object, applet, head > meta, head > link").Remove()
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			if blockTags[n.Data] {
				sb.WriteByte('\n')
			} else if n.Data == "td" || n.Data == "th" || n.Data == "img" {
				sb.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blockTags[n.Data] {
			sb.WriteByte('\n')
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	// Collapse the source's layout whitespace; keep the block structure.
	lines := strings.Split(sb.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// tidy normalises line ends and no-break spaces, drops control characters, trims trailing spaces and
// collapses runs of blank lines.
func tidy(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	var sb strings.Builder
	sb.Grow(len(s))
	blank := 0
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return -1 // control characters (NULs from "=00" and the like)
		}
		return r
	}, s)
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			blank++
			continue
		}
		if sb.Len() > 0 {
			if blank > 0 {
				sb.WriteString("\n\n")
			} else {
				sb.WriteByte('\n')
			}
		}
		blank = 0
		sb.WriteString(line)
	}
	return sb.String()
}
