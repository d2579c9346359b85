// When the bibliography is split by initial, /references/#key holds a forwarding link: follow it at once.
function forwardReference() {
  var id = location.hash.slice(1);
  try {
    id = decodeURIComponent(id);
  } catch (e) {
    return;  // a malformed percent-escape (#%E0%A4%A) names no key: stay on the page, throw nothing
  }
  var el = id && document.getElementById(id);
  if (el && el.classList.contains("ref-forward")) location.replace(el.href);
}
if (typeof document$ !== "undefined") { document$.subscribe(forwardReference); }
else { document.addEventListener("DOMContentLoaded", forwardReference); }

// The bibliography's filter by kind of source (hooks/bibliography.py, kind_filter): hidden until this runs, so
// without JavaScript every entry shows.
function filterReferences() {
  var select = document.querySelector(".ref-kind-filter");
  if (!select) return;
  var tools = select.closest(".ref-tools");
  var status = tools.querySelector(".ref-count");
  tools.hidden = false;
  function apply() {
    var kind = select.value, entries = document.querySelectorAll(".ref-entry"), shown = 0;
    entries.forEach(function (entry) {
      entry.hidden = Boolean(kind) && entry.dataset.kind !== kind;
      if (!entry.hidden) shown += 1;
    });
    document.querySelectorAll(".ref-initial").forEach(function (initial) {
      var next = initial.nextElementSibling, any = false;
      while (next && next.classList.contains("ref-entry")) { any = any || !next.hidden; next = next.nextElementSibling; }
      initial.hidden = !any;
    });
    status.textContent = kind ? "Showing " + shown + " of " + entries.length + " sources." : "";
  }
  select.addEventListener("change", apply);
  apply();
}
if (typeof document$ !== "undefined") { document$.subscribe(filterReferences); }
else { document.addEventListener("DOMContentLoaded", filterReferences); }
