// When the bibliography is split by initial, /references/#key holds a forwarding link: follow it at once.
function forwardReference() {
  var id = decodeURIComponent(location.hash.slice(1));
  var el = id && document.getElementById(id);
  if (el && el.classList.contains("ref-forward")) location.replace(el.href);
}
if (typeof document$ !== "undefined") { document$.subscribe(forwardReference); }
else { document.addEventListener("DOMContentLoaded", forwardReference); }
