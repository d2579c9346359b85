// Previews of footnotes and of titles (abbreviations, language marks), in Material's own tooltip look (issue 25).
// Material's content.footnote.tooltips and content.tooltips wire every footnote marker and every [title] in the
// page when it loads: 200-350 elements on our long pages, 300-600 ms of a throttled phone's main thread before
// the page answers a tap. Here one set of listeners on the document builds a preview only for the element a
// reader points at, focuses or taps, with the markup and classes Material's tooltips use (.md-tooltip2), so
// main.css styles it as before. Without JavaScript a marker still jumps to its reference and a title still shows
// the browser's own tooltip.
(function () {
  var box = null;      // the one preview on screen (appended to <body>, like Material's)
  var host = null;     // the element it describes
  var hideTimer = 0;
  var quiet = false;   // set while Escape hands focus back to the host, which must not reopen the preview
  var ID = "__preview";
  var SELECTOR = ".md-content a.footnote-ref, .md-content [title], .md-content [data-preview-title]";

  function target(node) {
    return node && node.closest ? node.closest(SELECTOR) : null;
  }

  // The preview's content. A footnote: a copy of its entry (our own rendered HTML, already escaped; ids dropped
  // so the page keeps one element per id). A title: its text, set as text, never as markup.
  function content(el, footnote) {
    if (footnote) {
      var id = "";
      try { id = decodeURIComponent(el.hash.slice(1)); } catch (e) { return null; }
      var note = id && document.getElementById(id);
      if (!note) return null;
      var copy = note.cloneNode(true);
      copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
      return Array.prototype.slice.call(copy.childNodes);
    }
    // While the preview shows, the title waits in data-preview-title, so the browser's own tooltip does not
    // cover ours; hide() puts it back.
    var text = el.getAttribute("title");
    if (text === null) text = el.getAttribute("data-preview-title");
    if (!text) return null;
    el.setAttribute("data-preview-title", text);
    el.removeAttribute("title");
    return [document.createTextNode(text)];
  }

  function show(el) {
    clearTimeout(hideTimer);
    if (host === el) return;
    hide(true);
    var dialog = el.matches("a.footnote-ref");
    var nodes = content(el, dialog);
    if (!nodes) return;
    box = document.createElement("div");
    box.className = "md-tooltip2";
    box.id = ID;
    box.setAttribute("role", dialog ? "dialog" : "tooltip");
    var inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    nodes.forEach(function (n) { inner.appendChild(n); });
    box.appendChild(inner);
    document.body.appendChild(box);
    host = el;
    // Placed as Material places its tooltips: the host's page position, then above it in the lower half of the
    // window and below it in the upper half (a footnote), or just below it (a title).
    var r = el.getBoundingClientRect();
    box.style.setProperty("--md-tooltip-host-x", r.left + window.scrollX + "px");
    box.style.setProperty("--md-tooltip-host-y", r.top + window.scrollY + "px");
    box.style.setProperty("--md-tooltip-x", r.width / 2 + "px");
    var y;
    if (!dialog) {
      y = 8 + r.height;
      box.style.setProperty("--md-tooltip-width", inner.firstChild ? inner.offsetWidth + "px" : "0px");
      box.style.setProperty("--md-tooltip-tail", "0px");
    } else if (r.top >= window.innerHeight / 2) {
      y = -16 - inner.offsetHeight;
    } else {
      y = 16 + r.height;
    }
    box.style.setProperty("--md-tooltip-y", y + "px");
    box.classList.toggle("md-tooltip2--top", y < 0);
    box.classList.toggle("md-tooltip2--bottom", y >= 0);
    if (dialog) { el.setAttribute("aria-controls", ID); el.setAttribute("aria-haspopup", "dialog"); }
    else el.setAttribute("aria-describedby", ID);
    var shown = box;
    requestAnimationFrame(function () { if (box === shown) box.classList.add("md-tooltip2--active"); });
  }

  function hide(now) {
    clearTimeout(hideTimer);
    if (!now) { hideTimer = setTimeout(function () { hide(true); }, 250); return; }
    if (box) box.remove();
    if (host) {
      var text = host.getAttribute("data-preview-title");
      if (text !== null) { host.setAttribute("title", text); host.removeAttribute("data-preview-title"); }
      host.removeAttribute("aria-controls");
      host.removeAttribute("aria-haspopup");
      host.removeAttribute("aria-describedby");
    }
    box = host = null;
  }

  function inside(node) { return box && node && box.contains(node); }

  // A mouse or pen shows on hover; the pointer may then move onto a footnote's preview to follow its links.
  document.addEventListener("pointerover", function (e) {
    if (e.pointerType === "touch") return;
    if (inside(e.target)) { clearTimeout(hideTimer); return; }
    var el = target(e.target);
    if (el) show(el);
  });
  document.addEventListener("pointerout", function (e) {
    if (e.pointerType === "touch" || !box) return;
    if ((host && host.contains(e.relatedTarget)) || inside(e.relatedTarget)) return;
    if (target(e.target) === host || inside(e.target)) hide(false);
  });
  // The keyboard (and reading.js's first tap on a footnote marker, which focuses it) shows on focus.
  document.addEventListener("focusin", function (e) {
    if (quiet) return;
    if (inside(e.target)) { clearTimeout(hideTimer); return; }
    var el = target(e.target);
    if (el) show(el); else if (box) hide(true);
  });
  document.addEventListener("focusout", function (e) {
    if (box && !inside(e.relatedTarget) && !(host && host.contains(e.relatedTarget))) hide(false);
  });
  // A tap on an abbreviation or a language mark (not a link) shows its title; a tap elsewhere closes.
  document.addEventListener("click", function (e) {
    if (inside(e.target)) return;
    var el = target(e.target);
    if (el && !el.closest("a")) { if (host === el) hide(true); else show(el); return; }
    if (box && el !== host) hide(true);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !box) return;
    var h = host, back = inside(document.activeElement);
    hide(true);
    if (back && h) { quiet = true; h.focus(); quiet = false; }
  });
  // The second tap on a marker (or a click) goes to the reference: the preview of it has done its work.
  window.addEventListener("hashchange", function () { hide(true); });
  // Instant navigation swaps the content without a reload: a preview of the old page must not stay.
  if (typeof document$ !== "undefined") document$.subscribe(function () { hide(true); });
})();
