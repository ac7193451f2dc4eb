package crawl

import (
	"net/url"
	"strings"
	"testing"
)

// googleCase is one expectation of Google's reference robots.txt parser:
// robots_test.cc of github.com/google/robotstxt (the RFC 9309 reference
// implementation), transcribed as data. test names the TEST it comes
// from; diff, when set, says why this matcher differs on purpose.
type googleCase struct {
	test, robots, agent, url string
	allowed                  bool
	diff                     string
}

// Robots bodies shared by several cases, as in robots_test.cc.
const (
	gFooDisallowAll = "user-agent: FooBot\ndisallow: /\n"
	gGroups         = "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\nuser-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n"
	gCaseUpper      = "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n"
	gCaseLower      = "user-agent: FooBot\nallow: /x/\ndisallow: /\n"
	gCaseCamel      = "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n"
	gAgentUpper     = "User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n"
	gAgentLower     = "User-Agent: foo bar\nAllow: /x/\nDisallow: /\n"
	gAgentCamel     = "User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n"
	gGlobal         = "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n"
	gOnlySpecific   = "user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n"
	gFish           = "user-agent: FooBot\ndisallow: /\nallow: /fish\n"
	gFishStar       = "user-agent: FooBot\ndisallow: /\nallow: /fish*\n"
	gFishSlash      = "user-agent: FooBot\ndisallow: /\nallow: /fish/\n"
	gPHP            = "user-agent: FooBot\ndisallow: /\nallow: /*.php\n"
	gPHPEnd         = "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n"
	gFishPHP        = "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n"
	gSpecial1       = "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n"
	gSpecial2       = "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n"
	gSpecial3       = "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n"
	gIndex          = "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n"
)

const (
	diffEncodeURL = "this matcher percent-encodes the URL's non-ASCII octets before matching, " +
		"as RFC 9309 §2.2.2 asks; Google leaves that to its caller"
	diffDecodeRule = "RFC 9309 §2.2.2 compares unreserved octets decoded on both sides; Google's " +
		"case is about how rules should be written, not about URLs"
	diffIndexHTML = "Google-only: index.html as the directory is not in RFC 9309"
	diffLongLine  = "Google-only: lines cut at 16,664 bytes; RFC 9309 sets no line limit " +
		"(this parser bounds the file at 512 KiB instead)"
)

var googleCases = []googleCase{
	{"GoogleOnly_SystemTest", "", "FooBot", "", true, ""},
	{"GoogleOnly_SystemTest", gFooDisallowAll, "", "", true, ""},
	{"GoogleOnly_SystemTest", gFooDisallowAll, "FooBot", "", false, ""},
	{"GoogleOnly_SystemTest", "", "", "", true, ""},

	{"ID_LineSyntax_Line", gFooDisallowAll, "FooBot", "http://foo.bar/x/y", false, ""},
	{"ID_LineSyntax_Line", "foo: FooBot\nbar: /\n", "FooBot", "http://foo.bar/x/y", true, ""},
	{"ID_LineSyntax_Line", "user-agent FooBot\ndisallow /\n", "FooBot", "http://foo.bar/x/y", false, ""},

	{"ID_LineSyntax_Groups", gGroups, "FooBot", "http://foo.bar/x/b", true, ""},
	{"ID_LineSyntax_Groups", gGroups, "FooBot", "http://foo.bar/z/d", true, ""},
	{"ID_LineSyntax_Groups", gGroups, "FooBot", "http://foo.bar/y/c", false, ""},
	{"ID_LineSyntax_Groups", gGroups, "BarBot", "http://foo.bar/y/c", true, ""},
	{"ID_LineSyntax_Groups", gGroups, "BarBot", "http://foo.bar/w/a", true, ""},
	{"ID_LineSyntax_Groups", gGroups, "BarBot", "http://foo.bar/z/d", false, ""},
	{"ID_LineSyntax_Groups", gGroups, "BazBot", "http://foo.bar/z/d", true, ""},
	{"ID_LineSyntax_Groups", gGroups, "FooBot", "http://foo.bar/foo/bar/", false, ""},
	{"ID_LineSyntax_Groups", gGroups, "BarBot", "http://foo.bar/foo/bar/", false, ""},
	{"ID_LineSyntax_Groups", gGroups, "BazBot", "http://foo.bar/foo/bar/", false, ""},

	{"ID_REPLineNamesCaseInsensitive", gCaseUpper, "FooBot", "http://foo.bar/x/y", true, ""},
	{"ID_REPLineNamesCaseInsensitive", gCaseLower, "FooBot", "http://foo.bar/x/y", true, ""},
	{"ID_REPLineNamesCaseInsensitive", gCaseCamel, "FooBot", "http://foo.bar/x/y", true, ""},
	{"ID_REPLineNamesCaseInsensitive", gCaseUpper, "FooBot", "http://foo.bar/a/b", false, ""},
	{"ID_REPLineNamesCaseInsensitive", gCaseLower, "FooBot", "http://foo.bar/a/b", false, ""},
	{"ID_REPLineNamesCaseInsensitive", gCaseCamel, "FooBot", "http://foo.bar/a/b", false, ""},

	{"ID_UserAgentValueCaseInsensitive", gAgentUpper, "Foo", "http://foo.bar/x/y", true, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentLower, "Foo", "http://foo.bar/x/y", true, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentCamel, "Foo", "http://foo.bar/x/y", true, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentUpper, "Foo", "http://foo.bar/a/b", false, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentLower, "Foo", "http://foo.bar/a/b", false, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentCamel, "Foo", "http://foo.bar/a/b", false, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentUpper, "foo", "http://foo.bar/x/y", true, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentLower, "foo", "http://foo.bar/x/y", true, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentCamel, "foo", "http://foo.bar/x/y", true, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentUpper, "foo", "http://foo.bar/a/b", false, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentLower, "foo", "http://foo.bar/a/b", false, ""},
	{"ID_UserAgentValueCaseInsensitive", gAgentCamel, "foo", "http://foo.bar/a/b", false, ""},

	{"GoogleOnly_AcceptUserAgentUpToFirstSpace", "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n", "Foo", "http://foo.bar/x/y", true, ""},
	{"GoogleOnly_AcceptUserAgentUpToFirstSpace", "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n", "Foo Bar", "http://foo.bar/x/y", false, ""},

	{"ID_GlobalGroups_Secondary", "", "FooBot", "http://foo.bar/x/y", true, ""},
	{"ID_GlobalGroups_Secondary", gGlobal, "FooBot", "http://foo.bar/x/y", false, ""},
	{"ID_GlobalGroups_Secondary", gGlobal, "BarBot", "http://foo.bar/x/y", true, ""},
	{"ID_GlobalGroups_Secondary", gOnlySpecific, "QuxBot", "http://foo.bar/x/y", true, ""},

	{"ID_AllowDisallow_Value_CaseSensitive", "user-agent: FooBot\ndisallow: /x/\n", "FooBot", "http://foo.bar/x/y", false, ""},
	{"ID_AllowDisallow_Value_CaseSensitive", "user-agent: FooBot\ndisallow: /X/\n", "FooBot", "http://foo.bar/x/y", true, ""},

	{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n", "FooBot", "http://foo.bar/x/page.html", false, ""},
	{"ID_LongestMatch", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot", "http://foo.bar/x/page.html", true, ""},
	{"ID_LongestMatch", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot", "http://foo.bar/x/", false, ""},
	{"ID_LongestMatch", "user-agent: FooBot\ndisallow: \nallow: \n", "FooBot", "http://foo.bar/x/page.html", true, ""},
	{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /\nallow: /\n", "FooBot", "http://foo.bar/x/page.html", true, ""},
	{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot", "http://foo.bar/x", false, ""},
	{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot", "http://foo.bar/x/", true, ""},
	{"ID_LongestMatch", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", "FooBot", "http://foo.bar/x/page.html", true, ""},
	{"ID_LongestMatch", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot", "http://foo.bar/page.html", false, ""},
	{"ID_LongestMatch", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot", "http://foo.bar/page", true, ""},
	{"ID_LongestMatch", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot", "http://foo.bar/x/page.html", true, ""},
	{"ID_LongestMatch", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot", "http://foo.bar/x/y.html", false, ""},
	{"ID_LongestMatch", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", "FooBot", "http://foo.bar/x/page", true, ""},
	{"ID_LongestMatch", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", "FooBot", "http://foo.bar/y/page", false, ""},

	{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n", "FooBot", "http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par", true, ""},
	{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", "FooBot", "http://foo.bar/foo/bar/%E3%83%84", true, ""},
	{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", "FooBot", "http://foo.bar/foo/bar/ツ", false, diffEncodeURL},
	{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot", "http://foo.bar/foo/bar/%E3%83%84", true, ""},
	{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot", "http://foo.bar/foo/bar/ツ", false, diffEncodeURL},
	{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot", "http://foo.bar/foo/bar/baz", false, diffDecodeRule},
	{"ID_Encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot", "http://foo.bar/foo/bar/%62%61%7A", true, ""},

	{"ID_SpecialCharacters", gSpecial1, "FooBot", "http://foo.bar/foo/bar/quz", false, ""},
	{"ID_SpecialCharacters", gSpecial1, "FooBot", "http://foo.bar/foo/quz", true, ""},
	{"ID_SpecialCharacters", gSpecial1, "FooBot", "http://foo.bar/foo//quz", true, ""},
	{"ID_SpecialCharacters", gSpecial1, "FooBot", "http://foo.bar/foo/bax/quz", true, ""},
	{"ID_SpecialCharacters", gSpecial2, "FooBot", "http://foo.bar/foo/bar", false, ""},
	{"ID_SpecialCharacters", gSpecial2, "FooBot", "http://foo.bar/foo/bar/qux", true, ""},
	{"ID_SpecialCharacters", gSpecial2, "FooBot", "http://foo.bar/foo/bar/", true, ""},
	{"ID_SpecialCharacters", gSpecial2, "FooBot", "http://foo.bar/foo/bar/baz", true, ""},
	{"ID_SpecialCharacters", gSpecial3, "FooBot", "http://foo.bar/foo/bar", true, ""},
	{"ID_SpecialCharacters", gSpecial3, "FooBot", "http://foo.bar/foo/quz", false, ""},

	{"GoogleOnly_IndexHTMLisDirectory", gIndex, "foobot", "http://foo.com/allowed-slash/", true, diffIndexHTML},
	{"GoogleOnly_IndexHTMLisDirectory", gIndex, "foobot", "http://foo.com/allowed-slash/index.htm", false, ""},
	{"GoogleOnly_IndexHTMLisDirectory", gIndex, "foobot", "http://foo.com/allowed-slash/index.html", true, ""},
	{"GoogleOnly_IndexHTMLisDirectory", gIndex, "foobot", "http://foo.com/anyother-url", false, ""},

	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/bar", false, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/fish", true, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/fish.html", true, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/fish/salmon.html", true, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/fishheads", true, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/fishheads/yummy.html", true, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/fish.html?id=anything", true, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/Fish.asp", false, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/catfish", false, ""},
	{"GoogleOnly_DocumentationChecks", gFish, "FooBot", "http://foo.bar/?id=fish", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/bar", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/fish", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/fish.html", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/fish/salmon.html", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/fishheads", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/fishheads/yummy.html", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/fish.html?id=anything", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/Fish.bar", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/catfish", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishStar, "FooBot", "http://foo.bar/?id=fish", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/bar", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/fish/", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/fish/salmon", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/fish/?salmon", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/fish/salmon.html", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/fish/?id=anything", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/fish", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/fish.html", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishSlash, "FooBot", "http://foo.bar/Fish/Salmon.html", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/bar", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/filename.php", true, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/folder/filename.php", true, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/folder/filename.php?parameters", true, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar//folder/any.php.file.html", true, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/filename.php/", true, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/index?f=filename.php/", true, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/php/", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/index?php", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHP, "FooBot", "http://foo.bar/windows.PHP", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/bar", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/filename.php", true, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/folder/filename.php", true, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/filename.php?parameters", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/filename.php/", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/filename.php5", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/php/", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/filename?php", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar/aaaphpaaa", false, ""},
	{"GoogleOnly_DocumentationChecks", gPHPEnd, "FooBot", "http://foo.bar//windows.PHP", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishPHP, "FooBot", "http://foo.bar/bar", false, ""},
	{"GoogleOnly_DocumentationChecks", gFishPHP, "FooBot", "http://foo.bar/fish.php", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishPHP, "FooBot", "http://foo.bar/fishheads/catfish.php?parameters", true, ""},
	{"GoogleOnly_DocumentationChecks", gFishPHP, "FooBot", "http://foo.bar/Fish.PHP", false, ""},
	{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /p\ndisallow: /\n", "FooBot", "http://example.com/page", true, ""},
	{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", "FooBot", "http://example.com/folder/page", true, ""},
	{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", "FooBot", "http://example.com/page.htm", false, ""},
	{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot", "http://example.com/", true, ""},
	{"GoogleOnly_DocumentationChecks", "user-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot", "http://example.com/page.html", false, ""},

	// ID_LinesNumbersAreCountedCorrectly and ID_UTF8ByteOrderMarkIsSkipped
	// count parsed lines; as matching: the Disallow line is read whatever
	// the line endings, and a (partial) BOM before the first line is skipped
	// but not one in the middle of the file.
	{"ID_LinesNumbersAreCountedCorrectly", "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nDisallow: /", "bar", "http://x/a", false, ""},
	{"ID_LinesNumbersAreCountedCorrectly", "User-Agent: foo\r\nAllow: /some/path\r\nUser-Agent: bar\r\n\r\n\r\nDisallow: /\r\n", "bar", "http://x/a", false, ""},
	{"ID_LinesNumbersAreCountedCorrectly", "User-Agent: foo\rAllow: /some/path\rUser-Agent: bar\r\r\rDisallow: /\r", "bar", "http://x/a", false, ""},
	{"ID_LinesNumbersAreCountedCorrectly", "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /", "bar", "http://x/a", false, ""},
	{"ID_UTF8ByteOrderMarkIsSkipped", "\xEF\xBB\xBFUser-Agent: foo\nDisallow: /AnyValue\n", "foo", "http://x/AnyValue", false, ""},
	{"ID_UTF8ByteOrderMarkIsSkipped", "\xEF\xBBUser-Agent: foo\nDisallow: /AnyValue\n", "foo", "http://x/AnyValue", false, ""},
	{"ID_UTF8ByteOrderMarkIsSkipped", "\xEFUser-Agent: foo\nDisallow: /AnyValue\n", "foo", "http://x/AnyValue", false, ""},
	{"ID_UTF8ByteOrderMarkIsSkipped", "\xEF\x11\xBFUser-Agent: foo\nDisallow: /AnyValue\n", "foo", "http://x/AnyValue", true, ""},
	{"ID_UTF8ByteOrderMarkIsSkipped", "User-Agent: foo\n\xEF\xBB\xBFDisallow: /AnyValue\n", "foo", "http://x/AnyValue", true, ""},
	{"ID_NonStandardLineExample_Sitemap", "User-Agent: foo\nDisallow: /some/path\nSitemap: http://foo.bar/sitemap.xml\n", "foo", "http://x/some/path", false, ""},
	{"ID_NonStandardLineExample_Sitemap", "Sitemap: http://foo.bar/sitemap.xml\nUser-Agent: foo\nDisallow: /some/path\n", "foo", "http://x/some/path", false, ""},
}

// googleLongLineCases are GoogleOnly_LineTooLong, built as robots_test.cc
// builds them: rules longer than Google's 8 × 2083-byte line cut.
func googleLongLineCases() []googleCase {
	const maxLine = 2083 * 8
	long := func(prefix string, c byte) string {
		n := maxLine - len("/x/") - len(prefix) + 1 // robots_test.cc's max_length
		return "/x/" + strings.Repeat(string(c), n-len("/x/"))
	}
	la := long("disallow: ", 'a')
	r1 := "user-agent: FooBot\ndisallow: " + la + "/qux\n"
	a, b := long("allow: ", 'a'), long("allow: ", 'b')
	r2 := "user-agent: FooBot\ndisallow: /\nallow: " + a + "/qux\nallow: " + b + "/qux\n"
	t := "GoogleOnly_LineTooLong"
	return []googleCase{
		{t, r1, "FooBot", "http://foo.bar/fux", true, ""},
		{t, r1, "FooBot", "http://foo.bar" + la + "/fux", false, diffLongLine},
		{t, r2, "FooBot", "http://foo.bar/", false, ""},
		{t, r2, "FooBot", "http://foo.bar" + a + "/qux", true, ""},
		{t, r2, "FooBot", "http://foo.bar" + b + "/fux", true, diffLongLine},
	}
}

// TestGoogleRobotsCases runs Google's cases: every one agrees, or is a
// known difference that says why (RFC 9309 wins over Google-only rules).
func TestGoogleRobotsCases(t *testing.T) {
	agree, differ := 0, 0
	for i, c := range append(googleCases, googleLongLineCases()...) {
		path := "/"
		if c.url != "" {
			u, err := url.Parse(c.url)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			path = robotsPath(u)
		}
		got := parseRobots([]byte(c.robots)).group(c.agent).allowed(path)
		switch {
		case c.diff == "" && got != c.allowed:
			t.Errorf("case %d (%s): %q agent %q url %.80q: allowed = %v, Google says %v",
				i, c.test, short(c.robots), c.agent, c.url, got, c.allowed)
		case c.diff != "" && got == c.allowed:
			t.Errorf("case %d (%s) is marked as a difference (%s) but agrees", i, c.test, c.diff)
		case c.diff == "":
			agree++
		default:
			differ++
		}
	}
	t.Logf("%d cases agree with Google's parser, %d are known differences", agree, differ)
}

func short(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// TestRobotsEscape: Google's TestMaybeEscapePattern cases, and the
// decoding of unreserved escapes RFC 9309 §2.2.2 asks for.
func TestRobotsEscape(t *testing.T) {
	for in, want := range map[string]string{
		"http://www.example.com": "http://www.example.com",
		"/a/b/c":                 "/a/b/c",
		"á":                      "%C3%A1", // Google: TestMaybeEscapePattern
		"%aa":                    "%AA",
		"/%70rivate/x":           "/private/x",
		"/a%2Fb%3f":              "/a%2Fb%3F", // reserved stay escaped
		"/%7Euser %zz":           "/~user%20%zz",
	} {
		if got := robotsEscape(in); got != want {
			t.Errorf("robotsEscape(%q) = %q, want %q", in, got, want)
		}
	}
	if !strings.Contains(robotsEscape("/ツ"), "%E3%83%84") {
		t.Error("non-ASCII not encoded")
	}
}

// FuzzRobots: the parser and matcher never panic, answer the same twice,
// and escaping is idempotent.
func FuzzRobots(f *testing.F) {
	for _, c := range googleCases[:40] {
		f.Add(c.robots, c.agent, c.url)
	}
	f.Add("user-agent: *\ndisallow: /*$*\nallow: /**\ncrawl-delay: 1e308", "a/b", "/$")
	f.Fuzz(func(t *testing.T, body, agent, path string) {
		g := parseRobots([]byte(body)).group(agent)
		a, b := g.allowed(path), g.allowed(path)
		if a != b {
			t.Fatalf("allowed(%q) changed", path)
		}
		if e := robotsEscape(path); robotsEscape(e) != e {
			t.Fatalf("robotsEscape not idempotent on %q: %q then %q", path, e, robotsEscape(e))
		}
		if g.delay < 0 {
			t.Fatalf("negative delay %v", g.delay)
		}
	})
}
