// Filter and sort for the claims-audit table. Without JavaScript the full table still shows.
function setupClaimsTable() {
  document.querySelectorAll(".claims-table table").forEach(function (table) {
    if (table.dataset.ready) return;
    table.dataset.ready = "1";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var input = document.createElement("input");
    input.type = "search";
    input.className = "claims-filter";
    input.placeholder = "Filter claims: grade D, verdict contradicted, section safety, any word";
    input.setAttribute("aria-label", "Filter claims");
    // Above the table's scroll box (Material wraps wide tables in one), so the box stays as wide as the page.
    var box = table.closest(".claims-table") || table.parentNode;
    var count = document.createElement("p");
    count.className = "claims-count";
    count.setAttribute("aria-live", "polite");
    box.insertBefore(count, box.firstChild);
    box.insertBefore(input, count);
    // Field words filter by their column: "grade D" keeps exactly the grade-D claims, "verdict contradicted"
    // (or "verdict partly") the claims of that verdict, "section safety" (or "topic") those of that section;
    // "grade:D" works too. Any other word must appear somewhere in the row.
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.textContent.trim().toLowerCase();
    });
    var col = { grade: heads.indexOf("grade"), verdict: heads.indexOf("verdict"), section: heads.indexOf("topic") };
    var FIELDS = { grade: "grade", grades: "grade", verdict: "verdict", section: "section", topic: "section" };
    function verdictOf(row) {
      var badge = row.cells[col.verdict] && row.cells[col.verdict].querySelector("[class*='verdict-']");
      var m = badge && /\bverdict-([a-z0-9-]+)/.exec(badge.className);
      return m ? m[1] : "";
    }
    var verdictSlugs = rows.map(verdictOf).filter(function (v, i, a) { return v && a.indexOf(v) === i; });
    function parse(query) {
      var words = query.toLowerCase().replace(/[:=]/g, " : ").split(/\s+/).filter(Boolean);
      var tests = [];
      for (var i = 0; i < words.length; i++) {
        var field = FIELDS[words[i]];
        var j = words[i + 1] === ":" ? i + 2 : i + 1;
        if (field && col[field] >= 0 && j < words.length) {
          var value = words[j];
          if (field === "verdict") {  // "partly supported" and "partly-supported" are one verdict
            while (j + 1 < words.length && verdictSlugs.some(function (v) {
              return v.indexOf(value + "-" + words[j + 1]) === 0; })) { value += "-" + words[++j]; }
          }
          tests.push({ field: field, value: value });
          i = j;
        } else if (words[i] !== ":" && !field) {
          tests.push({ word: words[i] });
        }
      }
      return tests;
    }
    function matches(row, t) {
      if (t.word) return row.textContent.toLowerCase().indexOf(t.word) !== -1;
      if (t.field === "grade") return row.cells[col.grade].textContent.trim().toLowerCase() === t.value;
      if (t.field === "verdict") { var v = verdictOf(row); return v === t.value || v.indexOf(t.value) === 0; }
      return row.cells[col.section].textContent.toLowerCase().split(/\s+/).some(function (w) {
        return w.indexOf(t.value) === 0;
      });
    }
    function filter() {
      var tests = parse(input.value);
      var shown = 0;
      rows.forEach(function (row) {
        var ok = tests.every(function (t) { return matches(row, t); });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " of " + rows.length + " claims shown";
    }
    input.addEventListener("input", filter);
    filter();
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.tabIndex = 0;
      th.setAttribute("role", "columnheader");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.cells[i].textContent.trim(), y = b.cells[i].textContent.trim();
          var nx = parseFloat(x), ny = parseFloat(y);
          var r = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
          return asc ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
}
// Material's instant navigation swaps pages without a reload: document$ fires on each page.
if (typeof document$ !== "undefined") { document$.subscribe(setupClaimsTable); }
else { document.addEventListener("DOMContentLoaded", setupClaimsTable); }
