// Links in our SVG figures carry a plain `href`, which crawlers and Lighthouse's crawlable-anchors audit read
// (an `xlink:href` alone counts there as a link without a target). Material's instant navigation makes every
// [href] absolute with `el.href = el.href`; an SVG link's .href is a read-only SVGAnimatedString, so in the
// bundle's strict mode that throws and stops the rewrite. This gives SVG links the setter that statement expects:
// the same address, absolute, written to the attribute. Must run before the bundle (overrides/main.html).
(function () {
  var desc = window.SVGAElement && Object.getOwnPropertyDescriptor(SVGAElement.prototype, "href");
  if (!desc || !desc.get || desc.set) return;
  Object.defineProperty(SVGAElement.prototype, "href", {
    configurable: true,
    enumerable: desc.enumerable,
    get: desc.get,
    set: function (value) {
      var raw = value && typeof value === "object" ? value.baseVal : String(value);
      this.setAttribute("href", new URL(raw, this.baseURI).href);
    },
  });
})();
