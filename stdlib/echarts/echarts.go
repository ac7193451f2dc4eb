// Package echarts names the ECharts bundle that stdlib/chart inlines into a
// notebook page, for tools that must recognise that output without
// importing chart and its dependencies: the notebook linter
// (kernel/lint) and `gonbml run --strip-bundle`.
//
// It imports nothing.
package echarts

// BundleMarker is text found only in the output that carries the inlined
// ECharts bundle. Notebooks committed to a repository must not carry the
// bundle: `gonbml run --strip-bundle` drops that output (the charts then show
// their PNG fallback until the notebook is run again) and `gonbml lint`
// flags a notebook that still has it.
const BundleMarker = "inlined by gonbml so charts render offline"
