// Reading aids (issue 18). Everything here is an enhancement: without JavaScript the figures still scroll
// (with edge shadows as their cue), footnote markers still jump to the reference, the menu still opens.
(function () {
  // Figures wider than their column: mark the figure so site.css shows the scroll cue in words.
  var watched = typeof ResizeObserver !== "undefined" ? new ResizeObserver(function (entries) {
    // Every box is read first, then marked: a mark between two reads would make the browser lay out the whole
    // page again for the next read, once per box (tens of boxes on a long page).
    entries.map(function (e) { return [e.target, overflows(e.target)]; })
      .forEach(function (pair) { mark(pair[0], pair[1]); });
  }) : null;
  function overflows(box) { return box.scrollWidth > box.clientWidth + 1; }
  function mark(box, over) {
    var figure = box.closest(".sx-figure");
    if (figure && figure.hasAttribute("data-overflow") !== over) figure.toggleAttribute("data-overflow", over);
    // A box that does not scroll needs no tab stop of its own (its links, if any, are focusable anyway).
    if (box.hasAttribute("tabindex") === over) return;
    if (over) box.setAttribute("tabindex", "0"); else box.removeAttribute("tabindex");
  }
  function markOverflow(box) { mark(box, overflows(box)); }
  // Tables that scroll sideways (Material wraps every table in .md-typeset__scrollwrap) get the same tab stop, so
  // a keyboard can scroll a table that has no link of its own (WCAG 2.1.1).
  function setupFigures() {
    document.querySelectorAll(".sx-scroll, .md-typeset__scrollwrap").forEach(function (box) {
      // The observer reports each box once laid out: reading its width here would force a layout of the page.
      if (watched) watched.observe(box); else markOverflow(box);
    });
  }

  // Footnote markers on a touch screen: the first tap previews the reference (previews.js shows it on focus)
  // instead of jumping away; a second tap on the same marker goes to the reference list. Mouse and keyboard
  // keep the usual behaviour (hover or focus shows, click follows).
  var touch = window.matchMedia("(hover: none), (pointer: coarse)");
  var armed = null;
  document.addEventListener("click", function (e) {
    var ref = e.target.closest && e.target.closest("a.footnote-ref");
    if (!ref || !touch.matches || armed === ref) { armed = null; return; }
    armed = ref;
    e.preventDefault();
    e.stopPropagation();
    ref.focus();
  }, true);

  // Search: Material reads the query on key-up, so a query entered by paste, autofill or voice (an input event
  // with no key) was never searched. Pass every input on as a key-up.
  document.addEventListener("input", function (e) {
    if (e.target && e.target.matches && e.target.matches("input.md-search__input") && !e.isComposing) {
      e.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  });

  // Phone menu: Material opens the drawer inside the current page's section, the other sections one "back"
  // tap away. When the drawer opens, show its top level instead, where every section is listed (only then: a
  // closed drawer keeps Material's layout).
  var narrow = window.matchMedia("(max-width: 76.2344em)");
  document.addEventListener("change", function (e) {
    if (!e.target || e.target.id !== "__drawer" || !e.target.checked || !narrow.matches) return;
    document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item > input.md-nav__toggle:checked")
      .forEach(function (toggle) { toggle.checked = false; });
  });

  // After an instant (in-site) navigation to an anchor, Material scrolls before the new page's layout has
  // settled, so a claim box far down a long page could end up off-screen: bring it into view once laid out.
  function revealTarget() {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); }
    catch (e) { return; }  // a malformed percent-escape (#%E0%A4%A) names no element: throw nothing
    if (!id) return;
    setTimeout(function () {
      var el = document.getElementById(id);
      if (!el) return;
      var r = el.getBoundingClientRect();
      if (r.top < 0 || r.top > window.innerHeight - 40) el.scrollIntoView({ block: "start" });
    }, 60);
  }

  function setup() { setupFigures(); armed = null; revealTarget(); }
  // Material's instant navigation swaps pages without a reload: document$ fires on each page.
  if (typeof document$ !== "undefined") { document$.subscribe(setup); }
  else { document.addEventListener("DOMContentLoaded", setup); }
})();
