package chart

// InteractiveMarker is an attribute found only in the text/html part of a
// chart output. Such an output carries each picture once:
//
//   - text/html holds the interactive chart (no picture inside), drawn by
//     its script once the ECharts bundle of the session is on the page:
//     the live notebook, and nbconvert's HTML export of a notebook saved
//     with the bundle;
//   - image/png holds the chart's picture, for front-ends that show only
//     pictures, and for every viewer once the script cannot run.
//
// A text/html part cannot show the image/png part of the same output, and
// renderers that prefer text/html but run no scripts (code hosts, an
// export of a notebook saved without the bundle) would show an empty box.
// So a tool that saves a notebook without the bundle (`gonbml run
// --strip-bundle`) must also drop the text/html part of every output
// whose text/html contains InteractiveMarker, keeping its image/png: the
// saved notebook then holds each chart's PNG once.
// Until it does, the text/html part shows a one-line note pointing at
// the picture instead of an empty box.
const InteractiveMarker = "data-gonbml-interactive"
