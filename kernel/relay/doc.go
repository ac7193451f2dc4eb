// Package relay is the gonbml kernel's launcher: it stands between Jupyter
// and GoNB (v0.11.1, which is neither patched nor copied) and fixes, on the
// wire, what GoNB gets wrong for a notebook runner.
//
// # Plumbing
//
// The relay reads Jupyter's connection file and binds its five ports
// itself. It writes a second connection file for GoNB — free 127.0.0.1
// ports, the same key and signature_scheme, mode 0600 in a private 0700
// temporary directory, and the same basename kernel-<id>.json, because
// GoNB takes the kernel id (which widgets need) from that name — and
// starts `gonb --kernel FILE [--raw_error]` as a child in its own process
// group. Then:
//
//   - shell, control, stdin: a ROUTER on Jupyter's port, a DEALER to
//     GoNB's. The client's routing identities travel inside the message,
//     so replies find their client. The three DEALERs share one identity:
//     GoNB sends input_request on stdin to the identity the execute_request
//     came from on shell.
//   - iopub: GoNB's PUB → the relay's SUB → the relay's PUB on Jupyter's
//     port.
//   - heartbeat: answered by the relay while it runs (it runs exactly as
//     long as GoNB).
//
// Messages pass through byte for byte. A message the relay changes or
// creates is signed again with the connection's key (hmac-sha256, -sha512
// or -sha1); requests it answers itself are verified first.
//
// # Failed cells are errors
//
// GoNB answers a cell whose program panics or exits non-zero with
// execute_reply status "ok"; all it says is a stderr stream message
// "exit status N\n" ("^C\n" first when interrupted). The relay tracks each
// execute_request and, on iopub, replaces that one message by an iopub
// "error":
//
//   - a panic (or a runtime "fatal error"): ename "panic", evalue the panic
//     message, traceback the panic line and, for each frame of the
//     panicking goroutine in GoNB's generated main.go, the user's line:
//     "cell line 4: fmt.Println(s[i])" (or "In [2] line 3: …" for a
//     function an earlier cell defined). The line is found by reading that
//     line of main.go — while GoNB still holds the cell — and looking it
//     up in the cell's code; a frame that is not found (GoNB's wrapper) is
//     left out, never shown alone;
//   - any other exit (os.Exit(3), log.Fatal): ename "exit status 3",
//     evalue the last line the program wrote on stderr (log.Fatal's
//     message) or else "exit status 3";
//   - an interrupt: ename "interrupted".
//
// So the "exit status N" line itself is gone: it became the error output,
// and os.Exit(3) gives exactly one iopub output, of type error. The
// program's own stderr, panic trace included, stays as GoNB sent it.
//
// The matching execute_reply is held until iopub has seen the request's
// status idle (GoNB publishes it right after the reply) or ReplyWait
// passes, so the decision is made with all of the cell's output; it is
// then rewritten to status "error" with the same ename, evalue and
// traceback. GoNB's own error replies pass unchanged, except that a
// syntax error summary "… (and N more errors)" is replaced by every
// syntax error of the cell (one per broken line, "cell line L:C: msg").
//
// GoNB runs one cell at a time; the relay forwards an execute_request
// when the previous one is answered and keeps the rest queued, so that,
// as stop_on_error asks, the requests queued behind a failed cell are
// answered "aborted" without running (Run All stops at the error). An
// interrupted cell is an error but does not abort the queue: the user
// interrupted to get on with the next cell.
//
// # Replies GoNB does not give
//
//   - is_complete_request: decided with go/parser (see IsComplete).
//   - history_request: answered from the cells the relay saw executed in
//     this session (tail, range, search; output=true pairs each input with
//     null), so a console's up-arrow and %history-like clients work within
//     a session. There is no history across kernels: GoNB keeps none, and
//     an empty answer would be less useful than what the relay has seen.
//   - kernel_info_reply: language_info.pygments_lexer and codemirror_mode
//     are set to "go" (GoNB sends them empty), so saved notebooks and
//     nbconvert highlight Go.
//   - a reply with status "error" but no ename/evalue/traceback (GoNB's
//     complete_reply when gopls times out) is completed.
//
// # Lifetime
//
// SIGINT, SIGTERM and SIGHUP are forwarded to GoNB (SIGTERM and SIGHUP
// make it exit; after StopWait its group is killed). When GoNB exits —
// after a shutdown_request, which passes through, or a signal — the relay
// exits with GoNB's status, after killing every process left below it:
// the relay is a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so the
// gopls servers GoNB starts and anything a cell left in the background are
// reparented to it rather than to init. The relay cannot outlive SIGKILL;
// GoNB then receives SIGTERM as its parent-death signal and exits cleanly,
// stopping its gopls.
package relay
