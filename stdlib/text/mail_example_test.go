package text_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/gonbml/gonbml/stdlib/text"
)

func ExampleCleanMail() {
	body := "Thanks, that fixed it.\n\nOn Tue, 27 Aug 2002, Bob wrote:\n> try rpm -e foo\n" +
		"See http://example.com/faq.html or mail bob@example.com\n-- \nBob"
	fmt.Println(strings.Join(strings.Fields(text.CleanMail(body)), " "))
	// Output: Thanks, that fixed it. See or mail
}

func ExampleMailConfig_Fit() {
	var bodies, sources []string
	for _, topic := range []string{"folders", "keys", "fonts", "colours", "sequences", "mime"} {
		bodies = append(bodies, "how do I set "+topic+" in exmh?\n___\nExmh-users mailing list")
		sources = append(sources, "exmh-users")
	}
	cleaner, err := text.MailConfig{}.Fit(context.Background(), bodies, sources)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cleaner.Footer("exmh-users"))
	fmt.Println(strings.Fields(cleaner.Clean(bodies[0], "exmh-users")))
	fmt.Println(text.MailJunk("listinfo"), text.MailJunk("2002"), text.MailJunk("exmh") == "")
	// Output:
	// [exmh-users mailing list]
	// [how do I set folders in exmh?]
	// footer date/time true
}
