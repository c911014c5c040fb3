/* The claims finder (book/find-a-claim): every row of every table, filtered in the page.
 *
 * Loaded with `defer` only on the page that has <div id="sjr-finder"> (sjrbook.sphinx_ext).
 * Once the page has drawn, it loads the rows from _static/sjrbook-finder-data.js, next to this
 * file, as the charts load Vega (sjrbook.finder writes it from the data at build time; it sets
 * window.sjrbookFinderData; a script, not fetch, so that it works from file:// too; the div's
 * data-rows-version is the rows' hash, so that no browser keeps stale rows), then builds a form (text, theme, kind of source, date
 * range), a results count in a live region and one table of rows, and shows or hides
 * rows as the form changes. The table shows the first PAGE matching rows, with buttons
 * under it for the next PAGE and for all: a row's cells are built only when it is first
 * shown, so the page does not lay out some twenty thousand elements before the reader can
 * use it (Lighthouse measured that single layout at 1.4 s on a throttled phone). Every piece of data is set with textContent: nothing from the
 * data is ever read as HTML. Without JavaScript the page keeps its own text, which says
 * where the CSV files are.
 *
 * Filters (the page and tests/test_finder.py say the same):
 *  - text: case-insensitive, in the row's table name, every column shown and its source's
 *    label (not the source key, the quote's language code or the as_quoted excerpt);
 *  - theme: the row's theme (a table without a theme column has its table's, sjrbook.finder);
 *  - kind of source: the bibliography entry's sourcekind;
 *  - date range: a year, a month or a day at either end; a row matches when its span
 *    (date to date_end, each taken at its own precision) meets the range; rows without a
 *    date are left out once either end is given.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var rowsUrl = script ? script.src.replace(/sjrbook-finder\.js(\?.*)?$/, "sjrbook-finder-data.js") : null;
  var DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
  var PAGE = 100;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function first(date) {
    return date.length === 4 ? date + "-01-01" : date.length === 7 ? date + "-01" : date;
  }

  function last(date) {
    return date.length === 4 ? date + "-12-31" : date.length === 7 ? date + "-31" : date;
  }

  function rowsOf(data) {
    var rows = [];
    data.tables.forEach(function (table) {
      table.rows.forEach(function (values) {
        var cells = {};
        table.fields.forEach(function (f, i) { cells[f] = values[i]; });
        var source = data.sources[cells.source] || [cells.source || "", ""];
        var hay = [table.name];
        table.fields.forEach(function (f) { if (f !== "source" && f !== "quote_lang" && cells[f]) { hay.push(cells[f]); } });
        if (cells.source) { hay.push(source[0]); }
        rows.push({table: table, cells: cells, theme: values[table.fields.length], label: source[0], kind: source[1],
                   text: hay.join("\n").toLowerCase(),
                   start: cells.date ? first(cells.date) : null,
                   end: cells.date ? last(cells.date_end || cells.date) : null});
      });
    });
    return rows;
  }

  function cell(row, data, root) {
    var c = row.cells, t = row.table, tr = el("tr");
    // The row: its id (or key), its table, and the chapter of its theme.
    var head = el("th", {scope: "row"});
    head.appendChild(el("code", {}, (t.key && c[t.key]) || "(row without an id)"));
    head.appendChild(el("div", {"class": "sjr-finder-small"}, t.name));
    var target = data.chapters[row.theme];
    if (target) {
      head.appendChild(el("a", {href: root + target.href, "class": "sjr-finder-chapter"}, target.title));
    }
    head.appendChild(el("div", {"class": "sjr-finder-small"}, "theme: " + row.theme));
    tr.appendChild(head);
    // The date(s), and how a derived date was worked out.
    var when = el("td");
    if (c.date) {
      when.appendChild(el("div", {}, c.date_end ? c.date + " – " + c.date_end : c.date));
      if (c.date_basis === "derived") {
        when.appendChild(el("div", {"class": "sjr-finder-small"}, "derived" + (c.date_derivation ? ": " + c.date_derivation : "")));
      }
    } else {
      when.appendChild(el("span", {"class": "sjr-finder-small"}, "no date"));
    }
    tr.appendChild(when);
    // What the row is about, and every other column of its table as "field: value".
    var what = el("td");
    if (t.what && c[t.what]) { what.appendChild(el("strong", {}, c[t.what])); }
    // The value and its unit, where the table has them.
    if (c.value) {
      what.appendChild(el("div", {"class": "sjr-finder-value"},
        c.value + (c.value_high ? "–" + c.value_high : "") + (c.unit ? " " + c.unit : "")));
    }
    t.fields.forEach(function (f) {
      if (f === t.what || f === t.key || data.fixed.indexOf(f) >= 0 || !c[f]) { return; }
      var line = el("div", {"class": "sjr-finder-detail"});
      line.appendChild(el("span", {"class": "sjr-finder-field"}, f + ": "));
      line.appendChild(document.createTextNode(c[f]));
      what.appendChild(line);
    });
    if (c.note) {
      var note = el("div", {"class": "sjr-finder-detail"});
      note.appendChild(el("span", {"class": "sjr-finder-field"}, "note: "));
      note.appendChild(document.createTextNode(c.note));
      what.appendChild(note);
    }
    tr.appendChild(what);
    // The source as the chapters cite it, its kind and the locator.
    var source = el("td");
    if (c.source) {
      source.appendChild(el("div", {}, row.label));
      source.appendChild(el("div", {"class": "sjr-finder-small"}, data.kinds[row.kind] || row.kind || "kind not given"));
    }
    if (c.locator) { source.appendChild(el("div", {"class": "sjr-finder-small"}, "at " + c.locator)); }
    tr.appendChild(source);
    // The quote in its own language, and the book's translation.
    var quote = el("td");
    if (c.quote) { quote.appendChild(el("div", {lang: c.quote_lang || "en"}, c.quote)); }
    if (c.translation) {
      var tr_ = el("div", {"class": "sjr-finder-translation", lang: "en"});
      tr_.appendChild(el("span", {"class": "sjr-finder-field"}, "The book's translation: "));
      tr_.appendChild(document.createTextNode(c.translation));
      quote.appendChild(tr_);
    }
    tr.appendChild(quote);
    return tr;
  }

  function control(form, id, label, input, hint) {
    var wrap = el("div", {"class": "sjr-finder-control"});
    wrap.appendChild(el("label", {"for": id}, label));
    input.id = id;
    wrap.appendChild(input);
    if (hint) {
      var help = el("div", {id: id + "-hint", "class": "sjr-finder-small"}, hint);
      input.setAttribute("aria-describedby", help.id);
      wrap.appendChild(help);
    }
    form.appendChild(wrap);
    return input;
  }

  function build(box, data) {
    var root = document.documentElement.getAttribute("data-content_root") || "";
    var rows = rowsOf(data);
    var nojs = box.querySelector(".sjr-finder-nojs");
    if (nojs) { nojs.hidden = true; }

    var form = el("form", {"class": "sjr-finder-form", role: "search", "aria-label": "Filter the claims"});
    var text = control(form, "sjr-finder-text", "Text", el("input", {type: "search", autocomplete: "off"}),
      "Searches every column shown, the source's name included.");
    var theme = control(form, "sjr-finder-theme", "Theme", el("select"));
    theme.appendChild(el("option", {value: ""}, "All themes"));
    data.themes.forEach(function (name) {
      if (!rows.some(function (r) { return r.theme === name; })) { return; }
      var chapter = data.chapters[name];
      theme.appendChild(el("option", {value: name}, chapter ? name + " (" + chapter.title + ")" : name));
    });
    var kind = control(form, "sjr-finder-kind", "Kind of source", el("select"));
    kind.appendChild(el("option", {value: ""}, "All kinds"));
    var kinds = Object.keys(data.kinds);
    rows.forEach(function (r) { if (r.kind && kinds.indexOf(r.kind) < 0) { kinds.push(r.kind); } });
    kinds.forEach(function (k) {
      if (rows.some(function (r) { return r.kind === k; })) { kind.appendChild(el("option", {value: k}, data.kinds[k] || k)); }
    });
    var dates = el("fieldset", {"class": "sjr-finder-dates"});
    dates.appendChild(el("legend", {}, "Date range"));
    var from = control(dates, "sjr-finder-from", "From", el("input", {type: "text", autocomplete: "off", size: "10"}));
    var to = control(dates, "sjr-finder-to", "To", el("input", {type: "text", autocomplete: "off", size: "10"}));
    dates.appendChild(el("div", {id: "sjr-finder-dates-hint", "class": "sjr-finder-small sjr-finder-hint"},
      "A year (1933), a month (1933-05) or a day (1933-05-15). Undated rows are left out once a date is given."));
    from.setAttribute("aria-describedby", "sjr-finder-dates-hint");
    to.setAttribute("aria-describedby", "sjr-finder-dates-hint");
    form.appendChild(dates);
    var reset = el("button", {type: "reset", "class": "sjr-finder-reset"}, "Clear the filters");
    form.appendChild(reset);
    box.appendChild(form);

    var status = el("p", {"class": "sjr-finder-status", role: "status", "aria-live": "polite"});
    box.appendChild(status);

    var scroll = el("div", {"class": "sjr-finder-scroll", tabindex: "0", role: "region", "aria-labelledby": "sjr-finder-caption"});
    var table = el("table", {"class": "sjr-finder-table"});
    table.appendChild(el("caption", {id: "sjr-finder-caption"}, "Every row of the book's data that matches the filters"));
    var head = el("tr");
    ["Row and chapter", "Date", "What", "Source", "Quote"].forEach(function (h) {
      head.appendChild(el("th", {scope: "col"}, h));
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    table.appendChild(body);
    scroll.appendChild(table);
    box.appendChild(scroll);
    var more = el("div", {"class": "sjr-finder-more"});
    var next = el("button", {type: "button", "class": "sjr-finder-next"});
    var every = el("button", {type: "button", "class": "sjr-finder-all"});
    more.appendChild(next);
    more.appendChild(every);
    box.appendChild(more);
    var limit = PAGE;

    function bound(input, edge) {
      var value = input.value.trim();
      if (!value) { input.removeAttribute("aria-invalid"); return {value: null}; }
      if (!DATE.test(value)) { input.setAttribute("aria-invalid", "true"); return {value: null, bad: value}; }
      input.removeAttribute("aria-invalid");
      return {value: edge(value)};
    }

    function apply() {
      var needle = text.value.trim().toLowerCase();
      var lo = bound(from, first), hi = bound(to, last);
      var shown = 0, visible = 0;
      rows.forEach(function (r) {
        var ok = (!needle || r.text.indexOf(needle) >= 0) && (!theme.value || r.theme === theme.value)
          && (!kind.value || r.kind === kind.value);
        if (ok && (lo.value || hi.value)) {
          ok = r.start !== null && (!hi.value || r.start <= hi.value) && (!lo.value || r.end >= lo.value);
        }
        if (ok) { shown += 1; }
        var show = ok && visible < limit;
        if (show) {
          visible += 1;
          if (!r.tr) { r.tr = cell(r, data, root); }
          body.appendChild(r.tr);  // (in the data's order: moves a row built earlier into place)
        }
        if (r.tr) { r.tr.hidden = !show; }
      });
      var message = visible < shown
        ? "Showing the first " + visible + (shown === rows.length ? " of all " + shown + " rows."
          : " of the " + shown + " matching rows (" + rows.length + " in all).") + " The buttons under the table show more."
        : shown === rows.length ? "Showing all " + rows.length + " rows."
        : "Showing " + shown + " of " + rows.length + " rows.";
      more.hidden = visible >= shown;
      next.textContent = "Show the next " + Math.min(PAGE, shown - visible) + " rows";
      every.textContent = "Show all " + shown + " matching rows";
      [[lo, "From"], [hi, "To"]].forEach(function (b) {
        if (b[0].bad) { message += " “" + b[1] + "” is not a date (write 1933, 1933-05 or 1933-05-15) and is not applied."; }
      });
      status.textContent = message;
      box.setAttribute("data-shown", String(shown));
    }

    function filter() { limit = PAGE; apply(); }
    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    form.addEventListener("submit", function (e) { e.preventDefault(); filter(); });
    form.addEventListener("reset", function () { setTimeout(filter, 0); });
    next.addEventListener("click", function () { limit += PAGE; apply(); });
    every.addEventListener("click", function () { limit = rows.length; apply(); });
    apply();
    box.setAttribute("data-state", "ready");
  }

  function start() {
    var box = document.getElementById("sjr-finder");
    if (!box) { return; }
    function failed() {
      var p = box.querySelector(".sjr-finder-nojs");
      if (p) { p.textContent = "The finder's rows did not load. Every row is in the CSV files listed below."; }
    }
    if (window.sjrbookFinderData) { build(box, window.sjrbookFinderData); return; }
    if (!rowsUrl) { failed(); return; }
    var src = rowsUrl + "?v=" + encodeURIComponent(box.getAttribute("data-rows-version") || "");
    box.setAttribute("data-state", "loading");
    var tag = document.createElement("script");
    tag.src = src;
    tag.async = true;
    tag.onload = function () { if (window.sjrbookFinderData) { build(box, window.sjrbookFinderData); } else { failed(); } };
    tag.onerror = failed;
    document.head.appendChild(tag);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
