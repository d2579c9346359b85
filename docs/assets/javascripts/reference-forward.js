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
