// "How this statement was checked": the button after a cited statement opens a dialog with the record it was
// checked against, read from /data/checks/<page>.json when first asked for (pages stay light). Every value is
// data: inserted with textContent, and only an http(s) address becomes a link.
(function () {
  var cache = {};
  var dialog, body, opener;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function ensureDialog() {
    if (dialog && document.body.contains(dialog)) return;
    dialog = el("dialog", "check-dialog");
    dialog.setAttribute("aria-labelledby", "check-dialog-title");
    var head = el("div", "check-dialog__head");
    var title = el("h2", "check-dialog__title", "How this statement was checked");
    title.id = "check-dialog-title";
    var close = el("button", "check-dialog__close");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () { dialog.close(); });
    head.appendChild(title);
    head.appendChild(close);
    body = el("div", "check-dialog__body");
    dialog.appendChild(head);
    dialog.appendChild(body);
    dialog.addEventListener("close", function () { if (opener) opener.focus(); });
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });  // backdrop
    document.body.appendChild(dialog);
  }

  function row(dl, term, value, link) {
    if (!value) return;
    dl.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (link && /^https?:\/\//i.test(value)) {
      var a = el("a", null, value);
      a.href = value;
      a.rel = "external noopener";
      dd.appendChild(a);
    } else {
      dd.textContent = value;
    }
    dl.appendChild(dd);
  }

  function render(rec) {
    body.textContent = "";
    var verdict = el("p", "check-dialog__verdict");
    verdict.appendChild(el("strong", null, "Verdict: " + rec.verdict));
    verdict.appendChild(document.createTextNode(" (" + rec.meaning + "), checked " + rec.checked + "."));
    body.appendChild(verdict);
    if (rec.note) body.appendChild(el("p", null, rec.note));
    rec.sources.forEach(function (src) {
      var section = el("section", "check-dialog__source");
      section.appendChild(el("h3", null, src.label));
      if (src.quote) {
        var q = el("blockquote", null, src.quote);
        section.appendChild(q);
        if (src.quote_en) section.appendChild(el("p", "check-dialog__translation", "Our translation: " + src.quote_en));
      } else if (src.quote_missing) {
        section.appendChild(el("p", "check-dialog__missing", "No quote: " + src.quote_missing));
      } else {
        section.appendChild(el("p", "check-dialog__missing", "No quote on record yet."));
      }
      var dl = el("dl");
      row(dl, "Where in the source", src.where);
      row(dl, "Stored page read", src.seen, true);
      section.appendChild(dl);
      body.appendChild(section);
    });
    if (rec.derived && rec.derived.length) body.appendChild(el("p", null, "Worked out from the quoted numbers: " + rec.derived.join("; ")));
  }

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest(".check-btn");
    if (!btn) return;
    e.preventDefault();
    var parts = (btn.getAttribute("data-check") || "").split("#");
    var line = document.querySelector(".checks-line[data-checks-root]");
    var root = line ? line.getAttribute("data-checks-root") : "";
    var url = new URL(root + "data/checks/" + parts[0] + ".json", location.href).href;
    opener = btn;
    ensureDialog();
    body.textContent = "Loading\u2026";
    if (!dialog.open) dialog.showModal();
    load(url).then(function (data) {
      var rec = data[parts[1]];
      if (rec) render(rec);
      else body.textContent = "No record found for this statement.";
    }, function () {
      body.textContent = "The record could not be loaded.";
    });
  });
})();
