// The search index (search/search_index.json) only when a reader reaches for search. Material's bundle requests
// it on every page as soon as it starts (it waits for the search box only on file: addresses) and has no option
// for that, yet the index weighs more than most pages: so its request is held here, unsent, until the search
// box is focused or opened, the pointer goes over it, or the address asks for a search (?q=, search.share) or a
// highlight (?h=, search.highlight). Must run before the bundle (overrides/main.html). CONTRIBUTING, "Speed".
(function () {
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var proto = XMLHttpRequest.prototype, open = proto.open, send = proto.send;
  var wanted = false, held = [];

  function load() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (sendNow) { sendNow(); });
  }

  proto.open = function (method, url) {
    this.semaxSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (!this.semaxSearchIndex || wanted) return send.apply(this, arguments);
    var xhr = this, args = arguments;
    held.push(function () { send.apply(xhr, args); });
  };

  var params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) load();
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("[data-md-component=search-query]")) load();
  });
  document.addEventListener("change", function (e) {  // the search toggle (#__search), on small screens
    if (e.target.id === "__search" && e.target.checked) load();
  });
  document.addEventListener("pointerover", function (e) {  // a head start while the pointer heads for the box
    if (e.target.closest && e.target.closest(".md-search, [for=__search]")) load();
  }, { passive: true });
})();
