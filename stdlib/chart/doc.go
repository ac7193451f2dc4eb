// Package chart shows results in a gonbml notebook: go-echarts charts,
// image grids, tables, Markdown, progress bars and live training curves.
// It is the only gonbml package that talks to the notebook (through GoNB's
// gonbui); the algorithm packages stay free of it and report progress through
// plain callbacks that [Callback] adapts.
//
// # Charts
//
// [Show] displays any go-echarts v2 chart or page (anything with a
// Render(io.Writer) error method). [Line], [Bar], [Scatter], [HeatMap] and
// [Histogram] build the go-echarts charts the notebooks need from plain
// slices and matrices; the result can be customised further with
// go-echarts' own options before it is shown.
//
// Each chart becomes one display bundle with two representations:
//
//   - text/html: the interactive ECharts chart. Inside it sits a PNG picture
//     of the same data that the chart's script replaces, so a viewer that
//     drops scripts (GitHub, nbviewer, an untrusted notebook) still shows the
//     chart as a picture.
//   - image/png: the same picture on its own, for front-ends without HTML.
//
// The PNG is drawn from the chart's ECharts option with gonum.org/v1/plot.
// Line, bar, scatter and heat-map series are drawn; other series types (pie,
// radar, maps, ...) get a picture that names the chart and says it needs
// JavaScript.
//
// # Offline
//
// go-echarts loads ECharts from a CDN. This package instead inlines the
// ECharts 5.4.3 bundle (read from the npm tarball pinned in
// stdlib/internal/npm, fetched once into the data cache) into the output page,
// once per kernel session: the first chart of a session is preceded by an
// output holding the bundle, later charts wait for it. The bundle is
// evaluated inside a function whose parameters shadow define, module and
// exports, so its UMD wrapper sets window.echarts even when require.js is
// loaded (classic Notebook 6, nbconvert's HTML export) as well as in
// JupyterLab 4. A chart whose script runs before the bundle queues itself
// and is drawn when the bundle arrives.
//
// "Once per kernel session" is recorded in GoNB's per-kernel temporary
// directory, so re-running all cells without restarting the kernel replaces
// the output that held the bundle with outputs that do not. The page keeps
// working (the bundle is already loaded), but a notebook saved then and
// reopened shows the PNG pictures instead of interactive charts: restart
// the kernel before the final "run all", as the headless runner does.
//
// Outside a notebook (a plain `go run`, a test) [Show] writes a standalone
// HTML page with the bundle inlined into [OutputDir] (atomically: temporary
// file, then rename) and prints its path; [ShowImages] writes a PNG the same
// way; tables and Markdown are printed as text; progress is a terminal line.
//
// # Progress
//
// [Track] returns the fit.Func that every trainer's and the crawler's
// Progress field takes, drawing their events as a [Progress] bar: one
// output block updated in place (a stable display id), at most a few times
// per second, with rate and ETA, ending in the run's final status. Code
// that counts its own work uses [NewProgress] and [Progress.Update]
// directly. [LiveCurve] redraws a training curve in place.
//
// # Errors
//
// Bad input (mismatched lengths, NaN or Inf, an empty matrix, ragged table
// rows) returns an error prefixed "chart: ", never a panic. Every Show*
// function calls gonbui.Sync before returning, so outputs are not lost when a
// cell's program exits right after.
package chart
