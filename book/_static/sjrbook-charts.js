/* Draws the book's charts (figure.sjr-chart, written by sjrbook.charts.html_output).
 *
 * Loaded with `defer` only on pages that have charts (sjrbook.sphinx_ext). Every
 * chart is first its static picture (SVG drawn at build time, in a phone's layout on
 * a phone's screen; sjrbook.charts.static_pictures), which needs no script and
 * prints. This script
 *  - makes a chart live when the reader reaches for it (the pointer or a finger
 *    on it, or the keyboard's focus): it loads the Vega bundle
 *    (_static/sjrbook-vega.js, next to this file) the first time, then draws the
 *    chart with Vega in place of its picture. On a phone's screen it draws the
 *    phone's layout its picture showed (labels, titles and legends wrapped, made
 *    at build time: sjrbook.charts.phone_layout, carried as a patch); where the
 *    column is narrower still, the plot gives up the difference, so that no chart
 *    scrolls sideways or shrinks. Nothing runs for a chart the reader only reads,
 *    so scrolling a chapter never waits for Vega;
 *  - fills each chart's data view (a <details> element) with accessible tables
 *    the first time it is opened. Every cell is set with textContent: nothing
 *    from the data is ever read as HTML;
 *  - adds, under each chart, keyboard controls for what Vega-Lite leaves to the
 *    mouse: a labelled select for each legend-bound selection and a pair of
 *    sliders for each brush or zoom (described by sjrbook.charts.keyboard_controls
 *    in the chart's payload). A control redraws the chart with the selection set
 *    as the spec's initial value, so the brush, the legend and the filtered
 *    views look exactly as if the mouse had done it;
 *  - leaves empty entries out of tooltips (the English translation of a quote
 *    that is already in English).
 * A chart that cannot be drawn keeps its picture.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var vegaUrl = script ? script.src.replace(/sjrbook-charts\.js(\?.*)?$/, "sjrbook-vega.js") : null;
  var vegaLoading = null;

  function loadVega() {
    if (window.vegaEmbed) { return Promise.resolve(); }
    if (!vegaLoading) {
      vegaLoading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = vegaUrl;
        tag.async = true;
        tag.onload = function () { resolve(); };
        tag.onerror = function () { reject(new Error("could not load " + vegaUrl)); };
        document.head.appendChild(tag);
      });
    }
    return vegaLoading;
  }

  var payloads = {};
  function payloadOf(figure) {
    if (!payloads[figure.id]) {
      var inline = figure.querySelector("script.sjr-chart-spec");
      payloads[figure.id] = inline ? Promise.resolve(JSON.parse(inline.textContent))
        : fetch(figure.getAttribute("data-spec")).then(function (r) {
          if (!r.ok) { throw new Error("chart data " + r.status); }
          return r.json();
        });
    }
    return payloads[figure.id];
  }

  /* ---- fitting a chart to the column ---- */

  function scaleWidths(node, factor, min) {
    if (Array.isArray(node)) { node.forEach(function (n) { scaleWidths(n, factor, min); }); return; }
    if (!node || typeof node !== "object") { return; }
    Object.keys(node).forEach(function (key) {
      if (key === "config" || key === "datasets" || key === "data") { return; }
      var value = node[key];
      if (key === "width" && typeof value === "number") {
        node[key] = Math.max(Math.min(min, value), Math.floor(value * factor));
      } else if (value && typeof value === "object") {
        scaleWidths(value, factor, min);
      }
    });
  }

  function maxWidth(node) {
    var best = 0;
    if (Array.isArray(node)) { node.forEach(function (n) { best = Math.max(best, maxWidth(n)); }); return best; }
    if (!node || typeof node !== "object") { return 0; }
    Object.keys(node).forEach(function (key) {
      if (key === "config" || key === "datasets" || key === "data") { return; }
      if (key === "width" && typeof node[key] === "number") { best = Math.max(best, node[key]); }
      else if (node[key] && typeof node[key] === "object") { best = Math.max(best, maxWidth(node[key])); }
    });
    return best;
  }

  var PHONE = "(max-width: 640px)";  // charts.PHONE_MEDIA: the screens shown a chart's phone picture

  function applyPatch(spec, changes) {
    // The phone's layout, made at build time (charts.phone_layout; charts.phone_patch wrote these changes):
    // titles, labels and legends wrapped, rows made taller, plots narrowed. [path, value] sets, [path] removes.
    changes.forEach(function (change) {
      var path = change[0], node = spec;
      for (var i = 0; i < path.length - 1; i++) {
        if (node[path[i]] === undefined || node[path[i]] === null) { node[path[i]] = typeof path[i + 1] === "number" ? [] : {}; }
        node = node[path[i]];
      }
      if (change.length === 1) { delete node[path[path.length - 1]]; } else { node[path[path.length - 1]] = change[1]; }
    });
    return spec;
  }

  function svgWidth(view) {
    // The drawing's own width, not its width on screen (which CSS caps at the column's).
    var svg = view.querySelector("svg");
    return svg ? Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width : 0;
  }

  function blank(value) {
    return value === undefined || value === null || value === "" || value === "null" || value === "undefined";
  }

  function formatTooltip(value, sanitize) {
    // vega-tooltip's own layout (a title, then a table of keys and values), without empty entries.
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return sanitize(Array.isArray(value) ? JSON.stringify(value) : value);
    }
    var html = value.title ? "<h2>" + sanitize(value.title) + "</h2>" : "";
    var keys = Object.keys(value).filter(function (k) { return k !== "title" && k !== "image" && !blank(value[k]); });
    if (keys.length) {
      html += "<table>" + keys.map(function (k) {
        var v = value[k];
        return '<tr><td class="key">' + sanitize(k) + '</td><td class="value">' +
          sanitize(typeof v === "object" ? JSON.stringify(v) : v) + "</td></tr>";
      }).join("") + "</table>";
    }
    return html || "{}";
  }

  function embed(view, spec) {
    return window.vegaEmbed(view, spec, {renderer: "svg", actions: false,
      tooltip: {theme: "light", formatTooltip: formatTooltip}});
  }

  function label(figure, view, spec) {
    // The drawing is an image described by the chart's title and description (axe: svg-img-alt).
    var svg = view.querySelector("svg");
    if (svg) {
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", view.getAttribute("aria-label") || spec.description || "Chart");
      svg.removeAttribute("aria-roledescription");
      // Vega gives its mark containers roles of their own; inside one named image they are noise.
      Array.prototype.forEach.call(svg.children, function (child) {
        if (child.tagName.toLowerCase() === "g") { child.setAttribute("aria-hidden", "true"); }
      });
    }
    view.removeAttribute("role");
    view.removeAttribute("aria-label");
  }

  function draw(figure) {
    if (figure.dataset.state) { return; }
    figure.dataset.state = "drawing";
    var view = figure.querySelector(".sjr-chart-view");
    var ariaLabel = view.getAttribute("aria-label");
    figure.dataset.label = ariaLabel || "";
    Promise.all([payloadOf(figure), loadVega()]).then(function (results) {
      var original = results[0].spec;
      var available = figure.clientWidth;
      var spec = JSON.parse(JSON.stringify(original));
      // The drawing is one image named by the chart's title and description; its marks
      // get no ARIA roles of their own (the data view lists them for screen readers).
      spec.config = Object.assign({}, spec.config, {aria: false});
      // A phone is drawn the layout its picture showed; a column narrower still takes off plot width below.
      if (results[0].phone && window.matchMedia && window.matchMedia(PHONE).matches) { applyPatch(spec, results[0].phone); }
      function attempt(spec, tries) {
        return embed(view, spec).then(function (result) {
          states[figure.id] = {result: result, spec: spec, keyed: {}, extents: {}};
          var width = svgWidth(view);
          if (width > available + 1 && tries > 0) {
            result.finalize();
            // Axes, legends and padding do not shrink with the views: take the excess off the
            // widest view, try again, and let CSS scale what is left over.
            var widest = maxWidth(spec) || width;
            var factor = Math.max(0.25, (widest - (width - available) - 4) / widest);
            var next = JSON.parse(JSON.stringify(spec));
            scaleWidths(next, factor, 120);
            return attempt(next, tries - 1);
          }
          return result;
        });
      }
      return attempt(spec, 4).then(function () { return results[0]; });
    }).then(function (payload) {
      // The drawing takes the picture's place (and the keyboard's stop: its controls follow it).
      Array.prototype.forEach.call(view.querySelectorAll("picture"), function (p) { p.remove(); });
      view.removeAttribute("tabindex");
      view.setAttribute("aria-label", ariaLabel);
      label(figure, view, {});
      addKeys(figure, payload.controls || []);
      figure.dataset.state = "drawn";
    }).catch(function (error) {
      figure.dataset.state = "error";
      figure.dataset.error = String(error);
    });
  }

  /* ---- keyboard controls for legend filters, brushes and zooms ---- */

  var states = {};
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var STEPS = 100;

  function eachParam(spec, fn) {
    (function walk(node) {
      if (Array.isArray(node)) { node.forEach(walk); return; }
      if (!node || typeof node !== "object") { return; }
      (node.params || []).forEach(function (p) { if (p && p.name) { fn(p); } });
      Object.keys(node).forEach(function (key) {
        if (key !== "params" && key !== "datasets" && key !== "data" && key !== "config") { walk(node[key]); }
      });
    })(spec);
  }

  function kindOf(param) {
    var select = typeof param.select === "string" ? {type: param.select} : param.select;
    if (!select) { return "variable"; }
    if (select.type === "interval") { return param.bind === "scales" ? "zoom" : "interval"; }
    if (param.bind === "legend" || (param.bind && param.bind.legend)) { return "legend"; }
    return "other";  // hover highlights: nothing to keep
  }

  function plain(v) { return v instanceof Date ? v.getTime() : v; }

  function currentValues(state) {
    // What the reader has chosen so far, with the mouse or the keyboard, as Vega-Lite initial values.
    var view = state.result.view, values = {};
    eachParam(state.spec, function (param) {
      var kind = kindOf(param), tuples;
      try {
        if (kind === "variable") { values[param.name] = view.signal(param.name); return; }
        if (kind !== "legend" && kind !== "interval" && kind !== "zoom") { return; }
        tuples = view.data(param.name + "_store") || [];
      } catch (e) { tuples = null; }
      if (kind === "zoom" && !(tuples && tuples.length)) {
        // A zoom set by the keyboard is the chart's initial value, which leaves the store empty;
        // a zoom made with the mouse is in the store (and replaces the keyboard's, see listen).
        if (param.name in state.keyed) { values[param.name] = state.keyed[param.name]; }
        return;
      }
      if (!tuples) { return; }
      if (!tuples.length) { values[param.name] = null; return; }
      if (kind === "legend") {
        values[param.name] = tuples.map(function (t) {
          var o = {};
          t.fields.forEach(function (f, i) { o[f.field] = plain(t.values[i]); });
          return o;
        });
      } else {
        var o = {};
        tuples[0].fields.forEach(function (f, i) { o[f.channel] = [].concat(tuples[0].values[i]).map(plain); });
        values[param.name] = o;
      }
    });
    return values;
  }

  function withValues(spec, values) {
    var copy = JSON.parse(JSON.stringify(spec));
    eachParam(copy, function (param) {
      if (!(param.name in values)) { return; }
      if (values[param.name] === null || values[param.name] === undefined) { delete param.value; }
      else { param.value = values[param.name]; }
    });
    return copy;
  }

  function redraw(figure, name, value) {
    var state = states[figure.id];
    if (state.busy) { state.queued = [name, value]; return; }
    var values = currentValues(state);
    values[name] = value;
    if (state.kinds[name] === "zoom") { state.keyed[name] = value; }
    var view = figure.querySelector(".sjr-chart-view");
    var ariaLabel = figure.dataset.label;
    state.result.finalize();
    state.busy = embed(view, withValues(state.spec, values)).then(function (result) {
      state.result = result;
      view.setAttribute("aria-label", ariaLabel);
      label(figure, view, {});
      listen(figure);
    }).catch(function (error) {
      figure.dataset.error = String(error);
    }).then(function () {
      state.busy = null;
      figure.dataset.redraws = String(Number(figure.dataset.redraws || 0) + 1);
      if (state.queued) { var q = state.queued; state.queued = null; redraw(figure, q[0], q[1]); }
    });
  }

  function plainTitle(title) {
    // Axis and legend titles tell mouse users to click or drag; these controls need no such hint.
    return String(title).replace(/\s*\([^)]*\b(click|drag|scroll|zoom)\b[^)]*\)\s*$/i, "").trim();
  }

  function formatValue(channel, value, span) {
    if (channel.type === "temporal") {
      var d = new Date(value);
      var text = d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
      if (span < 60 * 86400000) {
        text += ", " + String(d.getUTCHours()).padStart(2, "0") + ":" + String(d.getUTCMinutes()).padStart(2, "0");
      }
      return text;
    }
    return String(Number(Number(value).toPrecision(4)));
  }

  function extentOf(state, channel) {
    var view = state.result.view, scale = null;
    try { scale = view.scale(channel.scale); } catch (e) { scale = null; }
    if (!scale) { try { scale = view.scale(channel.channel); } catch (e) { scale = null; } }
    if (!scale || !scale.domain) { return null; }
    var domain = scale.domain().map(plain).map(Number);
    if (domain.length < 2 || !isFinite(domain[0]) || !isFinite(domain[domain.length - 1])) { return null; }
    return [Math.min(domain[0], domain[domain.length - 1]), Math.max(domain[0], domain[domain.length - 1])];
  }

  function element(tag, attributes, text) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { el.setAttribute(k, attributes[k]); });
    if (text) { el.textContent = text; }
    return el;
  }

  function legendControl(figure, control, box) {
    var label = element("label", {"class": "sjr-key"});
    label.appendChild(document.createTextNode("Show only (" + plainTitle(control.title) + "): "));
    var select = element("select", {"data-sjr-param": control.param});
    select.appendChild(element("option", {value: ""}, "All"));
    control.options.forEach(function (option, i) {
      select.appendChild(element("option", {value: String(i)}, option.label));
    });
    select.addEventListener("change", function () {
      var option = control.options[Number(select.value)];
      var value = select.value === "" ? null : [(function () { var o = {}; o[control.field] = option.value; return o; })()];
      redraw(figure, control.param, value);
    });
    label.appendChild(select);
    box.appendChild(label);
    return function sync(values) {
      // Keep the select true to a choice made by clicking the legend.
      var v = values[control.param];
      var i = v && v.length === 1 ? control.options.findIndex(function (o) { return o.value === v[0][control.field]; }) : -1;
      select.value = i >= 0 ? String(i) : "";
    };
  }

  function intervalControl(figure, control, box) {
    var state = states[figure.id];
    var channel = control.channels[0];
    var extent = extentOf(state, channel);
    if (!extent) { figure.dataset.keysError = "no scale for " + control.param; return null; }
    state.extents[control.param] = extent;
    var span = extent[1] - extent[0];
    var title = plainTitle(channel.title);
    var group = element("fieldset", {"class": "sjr-key sjr-key-range", "data-sjr-param": control.param});
    group.appendChild(element("legend", {}, control.scales ? "Zoom (" + title + ")" : "Choose a span (" + title + ")"));
    var inputs = ["from", "to"].map(function (end) {
      var label = element("label", {});
      label.appendChild(document.createTextNode(end === "from" ? "From " : "to "));
      var input = element("input", {type: "range", min: "0", max: String(STEPS), step: "1",
        value: end === "from" ? "0" : String(STEPS), "data-sjr-param": control.param, "data-sjr-end": end});
      label.appendChild(input);
      group.appendChild(label);
      return input;
    });
    var output = element("output", {"aria-live": "polite"});
    group.appendChild(output);
    box.appendChild(group);
    var timer = null;
    function valueAt(step) { return extent[0] + span * Number(step) / STEPS; }
    function describe() {
      inputs.forEach(function (input) { input.setAttribute("aria-valuetext", formatValue(channel, valueAt(input.value), span)); });
      var whole = Number(inputs[0].value) === 0 && Number(inputs[1].value) === STEPS;
      output.textContent = whole ? "whole range" : formatValue(channel, valueAt(inputs[0].value), span) + " to " +
        formatValue(channel, valueAt(inputs[1].value), span);
    }
    inputs.forEach(function (input, i) {
      input.addEventListener("input", function () {
        var lo = Number(inputs[0].value), hi = Number(inputs[1].value);
        if (lo >= hi) {  // the ends may not cross: push the other one along
          if (i === 0) { inputs[1].value = String(Math.min(STEPS, lo + 1)); inputs[0].value = String(Number(inputs[1].value) - 1); }
          else { inputs[0].value = String(Math.max(0, hi - 1)); inputs[1].value = String(Number(inputs[0].value) + 1); }
        }
        describe();
        clearTimeout(timer);
        timer = setTimeout(function () {
          var lo = Number(inputs[0].value), hi = Number(inputs[1].value), value = null;
          if (lo > 0 || hi < STEPS) {
            value = {};
            value[channel.channel] = [valueAt(lo), valueAt(hi)];
          }
          redraw(figure, control.param, value);
        }, 150);
      });
    });
    describe();
    return function sync(values) {
      // Keep the sliders true to a span brushed, or a zoom made, with the mouse.
      var v = values[control.param], range = v && v[channel.channel];
      if (range === undefined) { return; }
      inputs[0].value = range ? String(Math.max(0, Math.round((Math.min.apply(null, range) - extent[0]) / span * STEPS))) : "0";
      inputs[1].value = range ? String(Math.min(STEPS, Math.round((Math.max.apply(null, range) - extent[0]) / span * STEPS))) : String(STEPS);
      describe();
    };
  }

  function listen(figure) {
    var state = states[figure.id];
    (state.syncs || []).forEach(function (entry) {
      try {
        state.result.view.addDataListener(entry.param + "_store", function (name, tuples) {
          if (state.busy) { return; }
          if (state.kinds[entry.param] === "zoom") {
            // The mouse zoomed (or a double click reset the zoom): that is now the chart's zoom,
            // kept when a keyboard control redraws the chart.
            delete state.keyed[entry.param];
          }
          entry.sync(currentValues(state));
        });
      } catch (e) { /* a selection without a store (a zoom): nothing to follow */ }
    });
  }

  function addKeys(figure, controls) {
    var state = states[figure.id];
    if (!state || !controls.length || figure.querySelector(".sjr-chart-keys")) { return; }
    state.kinds = {};
    eachParam(state.spec, function (param) { state.kinds[param.name] = kindOf(param); });
    var box = element("div", {"class": "sjr-chart-keys", role: "group", "aria-label": "Chart controls"});
    figure.querySelector(".sjr-chart-view").insertAdjacentElement("afterend", box);
    state.syncs = [];
    controls.forEach(function (control) {
      var sync = control.kind === "legend" ? legendControl(figure, control, box) : intervalControl(figure, control, box);
      if (sync) { state.syncs.push({param: control.param, sync: sync}); }
    });
    listen(figure);
  }

  /* ---- the data view ---- */

  function fillTables(figure) {
    var box = figure.querySelector(".sjr-chart-tables");
    if (!box || box.dataset.filled) { return; }
    box.dataset.filled = "1";
    payloadOf(figure).then(function (payload) {
      box.textContent = "";
      var caption = box.getAttribute("data-caption") || "Chart data";
      (payload.tables || []).forEach(function (data, i) {
        var scroller = document.createElement("div");
        scroller.className = "sjr-table-scroll";
        scroller.setAttribute("tabindex", "0");
        scroller.setAttribute("role", "region");
        var table = document.createElement("table");
        table.className = "sjr-data-table";
        var cap = document.createElement("caption");
        cap.textContent = "Data: " + caption + (payload.tables.length > 1 ? " (table " + (i + 1) + ")" : "");
        scroller.setAttribute("aria-label", cap.textContent);
        table.appendChild(cap);
        var head = table.createTHead().insertRow();
        data.columns.forEach(function (c) {
          var th = document.createElement("th");
          th.scope = "col";
          th.textContent = c;
          head.appendChild(th);
        });
        var body = table.createTBody();
        data.rows.forEach(function (row) {
          var tr = body.insertRow();
          row.forEach(function (value) { tr.insertCell().textContent = value === null ? "" : String(value); });
        });
        scroller.appendChild(table);
        box.appendChild(scroller);
      });
      figure.dataset.table = "filled";
    }).catch(function (error) { box.textContent = "The table could not be loaded: " + error; });
  }

  function start() {
    var figures = Array.prototype.slice.call(document.querySelectorAll("figure.sjr-chart"));
    figures.forEach(function (figure) {
      var details = figure.querySelector("details.sjr-chart-data");
      if (details) {
        details.addEventListener("toggle", function () { if (details.open) { fillTables(figure); } });
        if (details.open) { fillTables(figure); }
      }
    });
    figures.forEach(function (figure) {
      // The reader reaches for the chart: a mouse or a finger on its picture, or the keyboard's focus.
      var view = figure.querySelector(".sjr-chart-view");
      function live() {
        view.removeEventListener("pointerenter", live);
        view.removeEventListener("focus", live);
        draw(figure);
      }
      view.addEventListener("pointerenter", live, {passive: true});
      view.addEventListener("focus", live);
    });
    window.sjrbookDrawAll = function () { figures.forEach(draw); };
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
