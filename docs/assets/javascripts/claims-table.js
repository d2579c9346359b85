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
    input.placeholder = "Filter claims (verdict, grade, topic, words)";
    input.setAttribute("aria-label", "Filter claims");
    // Above the table's scroll box (Material wraps wide tables in one), so the box stays as wide as the page.
    var box = table.closest(".claims-table") || table.parentNode;
    var count = document.createElement("p");
    count.className = "claims-count";
    count.setAttribute("aria-live", "polite");
    box.insertBefore(count, box.firstChild);
    box.insertBefore(input, count);
    function filter() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase() + " grade " + row.cells[4].textContent.toLowerCase();
        var ok = terms.every(function (t) { return text.indexOf(t) !== -1; });
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
