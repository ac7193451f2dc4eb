// Package integration holds the end-to-end tests of the gonbml kernel: a
// real Jupyter client and notebook server, the real GoNB, Debian's Chromium,
// and the network cut off with a network namespace. It has no non-test code.
package integration
