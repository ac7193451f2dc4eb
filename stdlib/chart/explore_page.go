package chart

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

// jsString quotes s as a JavaScript string literal that is also safe inside
// a <script> element.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return escapeScript(string(b))
}

// helloHTML is the explorer's greeting: a script that, once GoNB's
// gonb_comm object is on the page, answers on the explorer's address. A
// page that runs no scripts (nbconvert, nbclient) never answers.
func helloHTML(ids exploreIDs) string {
	return fmt.Sprintf(`<div style="font:12px sans-serif;color:#777">starting the explorer…</div>
<script type="text/javascript">
(function () {
  var tries = 0;
  (function greet() {
    var c = globalThis.gonb_comm;
    if (c) { c.send(%s, %s); return; }
    if (++tries < 200) { setTimeout(greet, 50); }
  })();
})();
</script>
`, jsString(ids.address), jsString(msgHello))
}

// controlsHTML is the explorer's control panel: a title, one labelled input
// per control with its value beside it, and the Stop button, wired to send
// each change on the explorer's address.
func controlsHTML(title string, ids exploreIDs, ctl []controlSpec, cur []value) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s" class="gonbml-explorer" style="font:13px sans-serif;display:flex;flex-wrap:wrap;align-items:center;gap:6px 18px;padding:4px 0">`, html.EscapeString(ids.controls))
	fmt.Fprintf(&b, `<b style="flex-basis:100%%">%s</b>`, html.EscapeString(title))
	for i, c := range ctl {
		name := html.EscapeString(c.name)
		fmt.Fprintf(&b, `<label style="display:inline-flex;align-items:center;gap:6px">%s `, name)
		switch c.kind {
		case kindSlider:
			fmt.Fprintf(&b, `<input type="range" data-gonbml-i="%d" aria-label="%s" min="0" max="%d" step="1" value="%d" data-min="%g" data-max="%g" data-step="%g" data-dec="%d" style="width:220px">`,
				i, name, c.steps, cur[i].pos, c.min, c.max, c.step, c.decimals)
			fmt.Fprintf(&b, `<output data-gonbml-for="%d" style="min-width:4em;font-variant-numeric:tabular-nums">%s</output>`, i, html.EscapeString(c.format(c.at(cur[i].pos))))
		case kindSelect:
			fmt.Fprintf(&b, `<select data-gonbml-i="%d" aria-label="%s">`, i, name)
			for j, o := range c.options {
				sel := ""
				if j == cur[i].pos {
					sel = " selected"
				}
				fmt.Fprintf(&b, `<option value="%d"%s>%s</option>`, j, sel, html.EscapeString(o))
			}
			b.WriteString(`</select>`)
		case kindText:
			fmt.Fprintf(&b, `<input type="text" data-gonbml-i="%d" aria-label="%s" value="%s" size="40">`, i, name, html.EscapeString(cur[i].text))
		}
		b.WriteString(`</label>`)
	}
	b.WriteString(`<button type="button" data-gonbml-stop="1">Stop</button></div>`)
	fmt.Fprintf(&b, `
<script type="text/javascript">
(function () {
  var root = document.getElementById(%s);
  if (!root || root.getAttribute("data-gonbml-wired")) { return; }
  root.setAttribute("data-gonbml-wired", "1");
  var address = %s, sep = "\u001f", seq = 0;
  function send(msg) {
    var c = globalThis.gonb_comm;
    if (c) { c.send(address, msg); }
  }
  root.querySelectorAll("[data-gonbml-i]").forEach(function (el) {
    var i = el.getAttribute("data-gonbml-i");
    var out = root.querySelector('output[data-gonbml-for="' + i + '"]');
    var sent = el.value;
    function update() {
      if (out) {
        var v = Math.min(+el.dataset.min + (+el.value) * (+el.dataset.step), +el.dataset.max);
        out.textContent = v.toFixed(+el.dataset.dec);
      }
      if (el.value === sent) { return; }
      sent = el.value;
      seq++;
      send("v" + sep + seq + sep + i + sep + el.value);
    }
    el.addEventListener("input", update);
    el.addEventListener("change", update);
  });
  var stop = root.querySelector("button[data-gonbml-stop]");
  stop.addEventListener("click", function () {
    send(%s);
    stop.disabled = true;
    root.querySelectorAll("input,select").forEach(function (e) { e.disabled = true; });
  });
})();
</script>
`, jsString(ids.controls), jsString(ids.address), jsString(msgStop))
	return b.String()
}
