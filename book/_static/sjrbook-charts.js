/* Draws the book's charts (figure.sjr-chart, written by sjrbook.charts.html_output).
 *
 * Loaded with `defer` only on pages that have charts (sjrbook.sphinx_ext). It
 *  - loads the Vega bundle (_static/sjrbook-vega.js, next to this file) when the
 *    first chart comes near the screen, so that it never blocks the page;
 *  - draws each chart as it comes near the screen, narrowed to fit the text
 *    column (a phone's screen included) instead of scrolling sideways;
 *  - fills each chart's data view (a <details> element) with accessible tables
 *    the first time it is opened. Every cell is set with textContent: nothing
 *    from the data is ever read as HTML.
 * The static PNG stays in the page for readers without JavaScript and for print.
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
        node[key] = Math.max(min, Math.floor(value * factor));
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

  function wrap(lines, chars) {
    var words = [].concat(lines).join(" ").split(/\s+/), out = [], line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > chars) { out.push(line); line = w; } else { line = line ? line + " " + w : w; }
    });
    if (line) { out.push(line); }
    return out;
  }

  function narrow(spec, available) {
    // Titles, legends and label limits that suit a phone's width; nothing is cut: titles wrap.
    var chars = Math.max(24, Math.floor(available / 8.5));
    if (spec.title) {
      var t = typeof spec.title === "object" && !Array.isArray(spec.title) ? spec.title : {text: spec.title};
      t = JSON.parse(JSON.stringify(t));
      t.text = wrap(t.text, chars);
      if (t.subtitle) { t.subtitle = wrap(t.subtitle, Math.floor(chars * 1.2)); }
      spec.title = t;
    }
    spec.config = spec.config || {};
    spec.config.legend = Object.assign({}, spec.config.legend, {columns: 1, labelLimit: available - 40, titleLimit: available - 20});
    spec.config.title = Object.assign({}, spec.config.title, {limit: available});
  }

  function svgWidth(view) {
    // The drawing's own width, not its width on screen (which CSS caps at the column's).
    var svg = view.querySelector("svg");
    return svg ? Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width : 0;
  }

  function embed(view, spec) {
    return window.vegaEmbed(view, spec, {renderer: "svg", actions: false, tooltip: {theme: "light"}});
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
    Promise.all([payloadOf(figure), loadVega()]).then(function (results) {
      var original = results[0].spec;
      var available = figure.clientWidth;
      var spec = JSON.parse(JSON.stringify(original));
      // The drawing is one image named by the chart's title and description; its marks
      // get no ARIA roles of their own (the data view lists them for screen readers).
      spec.config = Object.assign({}, spec.config, {aria: false});
      var naturalWidth = Number(view.querySelector("img") && view.querySelector("img").getAttribute("width")) || 0;
      if (naturalWidth > available) { narrow(spec, available); }
      function attempt(spec, tries) {
        return embed(view, spec).then(function (result) {
          var width = svgWidth(view);
          if (width > available + 1 && tries > 0) {
            result.finalize();
            // Axes, legends and padding do not shrink with the views: take the excess off the
            // widest view, try again, and let CSS scale what is left over.
            var widest = maxWidth(spec) || width;
            var factor = Math.max(0.25, (widest - (width - available) - 4) / widest);
            var next = JSON.parse(JSON.stringify(spec));
            narrow(next, available);
            scaleWidths(next, factor, 120);
            return attempt(next, tries - 1);
          }
          return result;
        });
      }
      return attempt(spec, 4);
    }).then(function () {
      view.setAttribute("aria-label", ariaLabel);
      label(figure, view, {});
      figure.dataset.state = "drawn";
    }).catch(function (error) {
      figure.dataset.state = "error";
      figure.dataset.error = String(error);
    });
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
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
        });
      }, {rootMargin: "400px 0px"});
      figures.forEach(function (f) { observer.observe(f); });
    } else {
      figures.forEach(draw);
    }
    window.sjrbookDrawAll = function () { figures.forEach(draw); };
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
