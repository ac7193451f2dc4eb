package datasets_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

// crlf turns a readable literal into wire format.
func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func TestParseMessage(t *testing.T) {
	tests := []struct {
		name          string
		raw           []byte
		subject, from string
		want          []string // substrings the body must contain
		notWant       []string // substrings it must not contain
		empty         bool     // body must be empty
	}{
		{
			name:    "empty body",
			raw:     crlf("From: a@b.c\nSubject: nothing\n\n"),
			subject: "nothing", from: "a@b.c", empty: true,
		},
		{
			name:    "headers only, no blank line",
			raw:     []byte("Subject: x\nFrom: y"),
			subject: "x", from: "y", empty: true,
		},
		{
			name: "mbox line and folded subject",
			raw: []byte("From someone  Thu Aug 22 12:36:23 2002\nSubject: a long\n\tsubject\n" +
				"Date: Thu, 22 Aug 2002 07:36:16 -0400\n\nhello\n"),
			subject: "a long subject", want: []string{"hello"},
		},
		{
			name: "nested multipart with attachment",
			raw: crlf(`Subject: nested
Content-Type: multipart/mixed; boundary="outer"

preamble is not content
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=us-ascii

plain version of the news
--inner
Content-Type: text/html

<p>html <b>version</b> of the news</p>
--inner--
--outer
Content-Type: text/plain; name=notes.txt
Content-Disposition: attachment; filename=notes.txt

attached secret notes
--outer
Content-Type: image/gif
Content-Transfer-Encoding: base64

R0lGODlhAQABAAAAACw=
--outer--
epilogue is not content
`),
			subject: "nested",
			want:    []string{"plain version of the news"},
			notWant: []string{"html version", "attached secret", "preamble", "epilogue", "GIF", "R0lG", "Content-Type"},
		},
		{
			name: "bad base64 keeps the decodable prefix",
			raw: crlf(`Subject: b64
Content-Type: text/plain
Content-Transfer-Encoding: base64

SGVsbG8gd29ybGQg
c2VlIHlvdQ==!!!%%%not base64 at all
`),
			want: []string{"Hello world see you"}, notWant: []string{"not base64", "SGVs"},
		},
		{
			name:  "garbage base64",
			raw:   crlf("Content-Transfer-Encoding: base64\n\n@@@@####\n"),
			empty: true,
		},
		{
			name: "latin-1 body and encoded-word subject",
			raw: []byte("Subject: =?iso-8859-1?q?caf=E9_cr=E8me?=\nFrom: =?utf-8?b?SsO8cmdlbg==?= <j@x.de>\n" +
				"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\ncaf\xe9 au lait, \xa3 5\n"),
			subject: "café crème", from: "Jürgen <j@x.de>", want: []string{"café au lait, £ 5"},
		},
		{
			name:    "koi8-r quoted-printable",
			raw:     []byte("Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable\n\n=F0=D2=C9=D7=C5=D4 wor=\nld\n"),
			want:    []string{"Привет world"},
			notWant: []string{"=F0", "wor\nld"},
		},
		{
			name: "8-bit bytes labelled us-ascii read as windows-1252",
			raw:  []byte("Content-Type: text/plain; charset=us-ascii\n\nit\x92s \x93quoted\x94\n"),
			want: []string{"it’s “quoted”"},
		},
		{
			name: "unknown charset",
			raw:  []byte("Content-Type: text/plain; charset=x-no-such-charset\n\nna\xefve\n"),
			want: []string{"naïve"},
		},
		{
			name: "HTML-only mail",
			raw: crlf(`Subject: offer
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><head><title>t</title><style>p { font-family: Arial; color: red }</style>
<script>var tracking = 1;</script></head>
<body bgcolor=3D"#ffffff"><font face=3D"Arial" size=3D"2" color=3D"#ff0000">Buy&nbsp;now &amp; save</font>
<!-- hidden comment --><table><tr><td>cell one</td><td>cell two</td></tr></table><br>bye</body></html>
`),
			subject: "offer",
			want:    []string{"Buy now & save", "cell one cell two", "bye"},
			notWant: []string{"<", "font", "Arial", "tracking", "bgcolor", "hidden comment", "&nbsp;", "&amp;"},
		},
		{
			name:    "HTML sent as plain text",
			raw:     []byte("Subject: s\n\n<HTML><BODY><FONT size=3>Big <B>deal</B></FONT><BR>today</BODY></HTML>\n"),
			want:    []string{"Big deal", "today"},
			notWant: []string{"FONT", "<"},
		},
		{
			name: "MIME body whose Content-Type header was lost",
			raw: []byte(`Subject: lost

This is a multipart MIME message.

--= Multipart Boundary 0626010800
Content-Type: text/plain; charset="iso-8859-1"

the real text
--= Multipart Boundary 0626010800
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

AAAA
--= Multipart Boundary 0626010800--
`),
			want: []string{"the real text"}, notWant: []string{"Content-Type", "Multipart Boundary", "AAAA"},
		},
		{
			name: "multipart without its closing boundary",
			raw:  []byte("Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nfirst\n--zz\n\nsecond, no headers\n"),
			want: []string{"first", "second, no headers"},
		},
		{
			name: "multipart with a boundary that never occurs",
			raw:  []byte("Content-Type: multipart/mixed; boundary=nothere\n\njust text\n"),
			want: []string{"just text"},
		},
		{
			name: "forwarded message/rfc822",
			raw: []byte("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee below\n" +
				"--b\nContent-Type: message/rfc822\n\nSubject: inner\nContent-Type: text/plain\n\ninner text\n--b--\n"),
			want: []string{"see below", "inner text"}, notWant: []string{"Subject: inner"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := datasets.ParseMessage(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if tc.subject != "" && m.Subject != tc.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tc.subject)
			}
			if tc.from != "" && m.From != tc.from {
				t.Errorf("From = %q, want %q", m.From, tc.from)
			}
			if tc.empty && m.Body != "" {
				t.Errorf("Body = %q, want empty", m.Body)
			}
			if !utf8.ValidString(m.Body) || !utf8.ValidString(m.Subject) {
				t.Errorf("invalid UTF-8 in %+v", m)
			}
			for _, w := range tc.want {
				if !strings.Contains(m.Body, w) {
					t.Errorf("Body lacks %q:\n%s", w, m.Body)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(m.Body, w) {
					t.Errorf("Body contains %q:\n%s", w, m.Body)
				}
			}
		})
	}
}

func TestParseMessageDate(t *testing.T) {
	m, err := datasets.ParseMessage([]byte("Date: Thu, 22 Aug 2002 07:36:16 -0400 (EDT)\n\nx"))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2002, 8, 22, 11, 36, 16, 0, time.UTC)
	if !m.Date.Equal(want) {
		t.Fatalf("Date = %v, want %v", m.Date, want)
	}
	m, _ = datasets.ParseMessage([]byte("Date: someday\n\nx"))
	if !m.Date.IsZero() {
		t.Fatalf("unparseable date gave %v", m.Date)
	}
}

func TestParseMessageErrors(t *testing.T) {
	for _, raw := range []string{"", " \r\n\t"} {
		if _, err := datasets.ParseMessage([]byte(raw)); err == nil {
			t.Errorf("ParseMessage(%q) did not fail", raw)
		}
	}
}

func TestParseMessageDeepNesting(t *testing.T) {
	// 100 nested multiparts: deeper than the parser follows, must not blow up.
	var sb strings.Builder
	for i := range 100 {
		sb.WriteString("Content-Type: multipart/mixed; boundary=b" + strings.Repeat("x", i) + "\n\n--b" + strings.Repeat("x", i) + "\n")
	}
	sb.WriteString("Content-Type: text/plain\n\ndeep\n")
	if _, err := datasets.ParseMessage([]byte(sb.String())); err != nil {
		t.Fatal(err)
	}
}
