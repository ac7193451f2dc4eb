package datasets_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/gonbml/gonbml/stdlib/datasets"
)

// FuzzParseMail: ParseMessage, the hand-written header, MIME, transfer
// encoding and charset reader, never panics; it fails only on empty input,
// and what it returns is valid UTF-8.
func FuzzParseMail(f *testing.F) {
	for _, s := range []string{
		"From a@b Mon Jan  1 00:00:00 2002\nSubject: hi\n\nbody\n",
		"Subject: =?iso-8859-1?q?caf=E9?=\nContent-Type: text/plain; charset=koi8-r\n\n\xf0\xd2\xc9\n",
		"Content-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/html\n\n<p>x&amp;y</p>\n--b--\n",
		"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n--b",
		"Content-Transfer-Encoding: quoted-printable\n\nsoft=\nbreak =3D =ZZ\n",
		"Content-Type: message/rfc822\n\nSubject: inner\n\ninner body\n",
		"Content-Type: multipart/mixed\n\n--x\n\nno boundary parameter\n--x--\n",
		"Subject:\n\t folded\n no-colon line\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := datasets.ParseMessage(raw)
		if err != nil {
			if len(bytes.TrimSpace(raw)) != 0 {
				t.Fatalf("non-empty message failed: %v", err)
			}
			return
		}
		for name, s := range map[string]string{"Subject": m.Subject, "From": m.From, "Body": m.Body} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", name, s)
			}
		}
	})
}
