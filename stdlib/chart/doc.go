// Package chart shows results in a gonbml notebook: go-echarts charts,
// image grids, tables, Markdown, progress bars and live training curves.
// It is the only gonbml package that talks to the notebook (through GoNB's
// gonbui); the algorithm packages stay free of it and report progress through
// plain callbacks that [Callback] adapts.
//
// # Charts
//
// [Show] displays any go-echarts v2 chart or page (anything with a
// Render(io.Writer) error method). The helpers build the charts the
// notebooks need from plain slices and matrices; each is a method of
// [Options], which says how the chart is labelled, while the data are the
// method's parameters:
//
//	c, err := chart.Options{
//		Title: "−ELBO per epoch",
//		X:     chart.Axis{Name: "epoch"},
//		Y:     chart.Axis{Name: "−ELBO", Unit: "nats per image"},
//	}.Line(train, validation)
//
// [Options.Line], [Options.Bar] (Horizontal for bars from the left),
// [Options.Scatter] (PointLabels for a word map), [Options.HeatMap],
// [Options.Histogram] (Bins) and [Options.ImageGrid] all read the same
// fields; the zero Options is valid. The result can be customised further
// with go-echarts' own options before it is shown. The positional
// functions of earlier versions (Line(title, …), Bar(…, horizontal), …)
// remain as deprecated wrappers.
//
// # Figures
//
// The helpers lay a chart out the way a figure in a paper reads:
//
//   - Axes carry their names and units ("epoch", "−ELBO (nats per image)")
//     along the plot area's edges; a Histogram's y axis is "count" unless
//     named.
//   - The legend sits outside the plot area: right of it, or below it when
//     the names are long ([Legend]); a single series has none.
//   - Heat maps carry a colour scale: a visualMap in the interactive chart,
//     a colour bar with ticks in the PNG. Non-negative matrices go from
//     white to dark blue, signed ones from blue through white (zero) to red.
//   - Ticks are round numbers formatted for their range: integers as
//     integers, one precision per axis, scientific notation below 1e-3 and
//     from 1e6. (The interactive chart formats its value axes with
//     ECharts' own formatter, which writes integers as integers; the
//     option holds no JavaScript, so it stays plain JSON.)
//   - Category labels never overlap: they are rotated 45° or 90° when they
//     do not fit flat, and thinned only when even upright ones cannot fit
//     (a histogram's bin centres are thinned, not rotated).
//   - Series and classes take [Palette]: Okabe–Ito's eight colours plus two
//     of Paul Tol's, ten classes that stay apart for colour-blind readers.
//   - Images (image grids, components, reconstructions) use one convention
//     in every notebook: ink dark on light. Grayscale runs from white
//     (minimum) to black (maximum); Diverging adds red for negative values.
//     [Options.ImageGrid] draws the key below the grid, with the title and
//     optional row and column labels.
//
// # One copy of each picture
//
// A chart is one display output with two parts:
//
//   - text/html: the interactive ECharts chart, drawn by its script. It
//     holds no picture; it carries [InteractiveMarker].
//   - image/png: the chart's picture, drawn from its ECharts option with
//     gonum.org/v1/plot (line, bar, scatter and heat-map series; other
//     series types get a picture that names the chart and says it needs
//     JavaScript).
//
// Live, the notebook shows the interactive chart and the PNG is stored once.
// Front-ends that show only pictures use image/png. A notebook saved
// without the ECharts bundle cannot run the chart script, so the saving
// tool drops the marked text/html parts and keeps image/png: code hosts
// and HTML exports then show the picture (see [InteractiveMarker]).
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
// reopened cannot draw its charts (front-ends that prefer text/html show
// a one-line note pointing at the picture instead): restart the kernel
// before the final "run all", as the headless runner does.
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
// # Explorers
//
// [Explore] binds controls ([Slider], [Select], [TextInput]) to a draw
// function that returns a picture (an image.Image, a go-echarts chart,
// [HTML], or [Row] of them) and redraws it in place as the controls move —
// the Go notebook's answer to ipywidgets' interact:
//
//	err := chart.Explore("Topic", func(v chart.Values) (any, error) {
//		return chart.HTML(topicHTML(v.Int("topic"))), nil
//	}, chart.Select{Name: "topic", Options: names})
//
// The controls are built on GoNB's front-end channel (gonbui/comms); a
// slider is an integer position mapped to real values. Live, Explore
// blocks until its Stop button or the kernel's interrupt, and leaves the
// last picture; where no live page answers (`gonbml run`, nbconvert), it
// shows the initial state as a static picture and returns.
//
// # Errors
//
// Bad input (mismatched lengths, NaN or Inf, an empty matrix, ragged table
// rows) returns an error prefixed "chart: ", never a panic. Every Show*
// function calls gonbui.Sync before returning, so outputs are not lost when a
// cell's program exits right after.
package chart
