/* Registers that people can filter and sort, and the capability tree's
   open/close buttons. Plain script, no framework, nothing fetched: the page
   already holds every row. Runs once per page load (instant navigation is
   off). Filters can be preset from the address, e.g. ?lifecycle=Active;
   the word filter matches whole words, in any column or the one chosen. */
(function () {
  "use strict";

  var collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });

  function setUpRegister(register) {
    var table = register.querySelector("table.ea-sortable");
    if (!table || !table.tBodies.length) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    /* each cell's words, lower case, between spaces: a whole-word match is
       then a search for " word " (so "tax" finds "Council Tax", not "Taxi") */
    function words(text) {
      return " " + text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
    }
    var cellWords = rows.map(function (row) {
      return Array.prototype.map.call(row.cells, function (cell) { return words(cell.textContent); });
    });
    var controls = Array.prototype.slice.call(register.querySelectorAll("[data-ea-filter]"));
    var shown = register.querySelector(".ea-shown");
    var empty = register.querySelector(".ea-empty");
    /* a report's table filters on its own: the address keeps a register's filters only */
    var local = register.hasAttribute("data-ea-local");
    var params = new URLSearchParams(local ? "" : window.location.search);

    controls.forEach(function (control) {
      var key = control.getAttribute("data-ea-filter");
      var wanted = params.get(key === "text" ? "q" : key);
      if (wanted === null) return;
      if (control.tagName === "SELECT") {
        for (var i = 0; i < control.options.length; i++) {
          if (control.options[i].value === wanted) control.value = wanted;
        }
      } else {
        control.value = wanted;
      }
    });

    function apply() {
      var terms = [];
      var column = 0; /* 0: any column, else the column's number from 1 */
      var selects = [];
      controls.forEach(function (control) {
        var key = control.getAttribute("data-ea-filter");
        var value = control.value;
        if (key === "text") {
          terms = words(value).trim().split(" ").filter(Boolean);
        } else if (key === "in") {
          column = parseInt(value, 10) || 0;
        } else if (value !== "") {
          selects.push([key, value, control.hasAttribute("data-ea-many")]);
        }
      });
      var count = 0;
      rows.forEach(function (row, index) {
        var cells = column ? [cellWords[index][column - 1] || ""] : cellWords[index];
        var match = terms.every(function (term) {
          return cells.some(function (text) { return text.indexOf(" " + term + " ") !== -1; });
        }) && selects.every(function (pair) {
          var value = row.getAttribute("data-" + pair[0]) || "";
          return pair[2] ? value.indexOf("|" + pair[1].replace(/\|/g, "/") + "|") !== -1 : value === pair[1];
        });
        row.hidden = !match;
        if (match) count += 1;
      });
      if (shown) shown.textContent = "Showing " + count.toLocaleString("en-GB") + " of " +
        rows.length.toLocaleString("en-GB") + ".";
      if (empty) empty.hidden = count !== 0;
      if (local) return;
      var query = new URLSearchParams();
      controls.forEach(function (control) {
        var key = control.getAttribute("data-ea-filter");
        if (control.value) query.set(key === "text" ? "q" : key, control.value);
      });
      var search = query.toString();
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") +
          window.location.hash);
      }
    }

    controls.forEach(function (control) {
      control.addEventListener(control.tagName === "SELECT" ? "change" : "input", apply);
    });

    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, column) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "number";
        var keyed = rows.map(function (row, index) {
          var cell = row.cells[column];
          var raw = cell ? (cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent) : "";
          raw = raw.trim();
          return { row: row, index: index, empty: raw === "", value: numeric && raw !== "" && !isNaN(raw) ? parseFloat(raw) : raw };
        });
        keyed.sort(function (a, b) {
          if (a.empty !== b.empty) return a.empty ? 1 : -1; /* blanks last either way */
          var order = typeof a.value === "number" && typeof b.value === "number"
            ? a.value - b.value
            : collator.compare(String(a.value), String(b.value));
          if (!ascending) order = -order;
          return order || a.index - b.index;
        });
        var fragment = document.createDocumentFragment();
        keyed.forEach(function (item) { fragment.appendChild(item.row); });
        tbody.appendChild(fragment);
      });
    });

    if (params.toString()) apply();
  }

  function setUpTree(tools) {
    var tree = document.querySelector(".ea-tree");
    if (!tree) return;
    tools.hidden = false;
    Array.prototype.forEach.call(tools.querySelectorAll("[data-ea-tree]"), function (button) {
      button.addEventListener("click", function () {
        var open = button.getAttribute("data-ea-tree") === "open";
        Array.prototype.forEach.call(tree.querySelectorAll("details"), function (d) { d.open = open; });
      });
    });
  }

  /* a table wider than the page scrolls in its box: the keyboard can reach
     the box to scroll it (WCAG 2.1.1), and a screen reader hears its name */
  function focusableScroll(box) {
    if (box.hasAttribute("tabindex")) return;
    if (box.scrollWidth <= box.clientWidth + 1 && box.scrollHeight <= box.clientHeight + 1) return;
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    var caption = box.querySelector("caption");
    box.setAttribute("aria-label", (caption ? caption.textContent.trim() + " " : "Table ") + "(scrolls)");
  }

  /* "Open full size" shows while a diagram is wider than its box; a box not
     laid out (a heat map on the panel not chosen) keeps its link */
  function fitDiagrams() {
    Array.prototype.forEach.call(document.querySelectorAll(".ea-diagram-open"), function (opener) {
      var box = opener.parentNode.querySelector("[role=region]");
      if (box && box.clientWidth > 0) opener.hidden = box.scrollWidth <= box.clientWidth + 1;
    });
  }
  fitDiagrams();
  window.addEventListener("resize", fitDiagrams);

  Array.prototype.forEach.call(document.querySelectorAll(".ea-table-wrap"), focusableScroll);
  Array.prototype.forEach.call(document.querySelectorAll(".ea-register"), setUpRegister);
  Array.prototype.forEach.call(document.querySelectorAll(".ea-tree-tools"), setUpTree);
})();
