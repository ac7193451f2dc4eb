// Package browsertest drives Debian's headless Chromium for gonbml's browser
// tests: start a browser, open tabs whose network is cut off (every request
// that would leave the machine is failed and recorded), record what a person
// would call an error in the page, and run a notebook in the classic
// notebook UI.
//
// It lives at the module root, outside stdlib/, so that stdlib tests and
// kernel tests share it without stdlib importing kernel packages and without
// chromedp becoming a dependency of the stdlib published to notebook cells.
// It is imported only by tests.
//
// # Cutting the network
//
// Each tab intercepts every request with the Fetch domain: requests to
// loopback hosts and file:, data: and blob: URLs continue, every other one
// fails with InternetDisconnected and is listed by [Tab.Requests]. The Fetch
// domain has kept its shape across Chromium releases, unlike
// Network.emulateNetworkConditions*, whose parameters changed in Chromium
// 148. As a second layer the browser resolves no host name and sends
// everything but loopback to a closed proxy port, so a request the tab's
// interception does not see (one by the browser itself) fails as well.
//
// # Errors
//
// Every protocol call goes through [Call], [Run] or a method of [Tab], which
// fail the test with a message that names the Chromium version and the call,
// such as "chromium 148.0.7778.167 refused Fetch.enable: ...".
package browsertest
