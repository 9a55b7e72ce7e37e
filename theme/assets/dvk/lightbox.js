/* dvk lightbox: tap a photo to see it large, with its caption and credit.
   Every photo is a plain link to its largest JPEG (works without JavaScript). With
   JavaScript, a click opens this viewer instead. Captions and credits are editor text:
   they are read from data-caption / data-credit and inserted with textContent only,
   never as HTML. Keyboard: arrows move, Escape closes, Tab stays inside the viewer and
   focus returns to the photo on close. Swipe left/right on a phone. Loaded with defer. */
(function () {
  "use strict";
  var box, img, caption, credit, counter, prev, next, close, items = [], index = 0, opener = null, startX = null;

  function el(tag, cls, label, glyph) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (label) {
      node.type = "button";
      node.setAttribute("aria-label", label);
      node.title = label;
      var mark = document.createElement("span");
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = glyph;
      node.appendChild(mark);
    }
    return node;
  }

  function build() {
    box = el("div", "dvk-lb");
    box.hidden = true;
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-label", "Xem ảnh");
    var figure = el("figure", "dvk-lb__figure");
    img = el("img", "dvk-lb__img");
    img.decoding = "async";
    var text = el("figcaption", "dvk-lb__caption");
    caption = el("span", "dvk-lb__title");
    credit = el("span", "dvk-lb__credit");
    counter = el("span", "dvk-lb__count");
    text.appendChild(caption);
    text.appendChild(credit);
    text.appendChild(counter);
    figure.appendChild(img);
    figure.appendChild(text);
    prev = el("button", "dvk-lb__prev", "Ảnh trước", "‹");
    next = el("button", "dvk-lb__next", "Ảnh sau", "›");
    close = el("button", "dvk-lb__close", "Đóng", "×");
    box.appendChild(figure);
    box.appendChild(prev);
    box.appendChild(next);
    box.appendChild(close);
    document.body.appendChild(box);
    prev.addEventListener("click", function () { show(index - 1); });
    next.addEventListener("click", function () { show(index + 1); });
    close.addEventListener("click", hide);
    box.addEventListener("click", function (event) { if (event.target === box || event.target === figure) hide(); });
    document.addEventListener("keydown", function (event) { if (!box.hidden) onKey(event); });
    box.addEventListener("touchstart", function (event) { startX = event.changedTouches[0].clientX; }, { passive: true });
    box.addEventListener("touchend", function (event) {
      if (startX === null) return;
      var dx = event.changedTouches[0].clientX - startX;
      startX = null;
      if (Math.abs(dx) > 50) show(index + (dx < 0 ? 1 : -1));
    });
  }

  function show(i) {
    if (i < 0 || i >= items.length) return;
    index = i;
    var link = items[i];
    img.removeAttribute("src");
    img.src = link.href;
    img.alt = link.getAttribute("data-caption") || "";
    caption.textContent = link.getAttribute("data-caption") || "";
    credit.textContent = link.getAttribute("data-credit") || "";
    counter.textContent = items.length > 1 ? (i + 1) + " / " + items.length : "";
    var focused = document.activeElement;
    prev.hidden = i === 0;
    next.hidden = i === items.length - 1;
    if (focused && focused.hidden) close.focus();  // a hidden button cannot keep the focus
  }

  function open(link) {
    if (!box) build();
    var group = link.getAttribute("data-gallery");
    var all = Array.prototype.slice.call(document.querySelectorAll("a.dvk-lightbox"));
    items = group ? all.filter(function (a) { return a.getAttribute("data-gallery") === group && a.offsetParent !== null; }) : [link];
    if (items.indexOf(link) < 0) items = [link];
    opener = link;
    box.hidden = false;
    document.documentElement.classList.add("dvk-lb-open");
    show(items.indexOf(link));
    close.focus();
  }

  function hide() {
    box.hidden = true;
    img.removeAttribute("src");
    document.documentElement.classList.remove("dvk-lb-open");
    if (opener) opener.focus();
    opener = null;
  }

  function onKey(event) {
    if (event.key === "Escape") { event.preventDefault(); hide(); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); show(index - 1); }
    else if (event.key === "ArrowRight") { event.preventDefault(); show(index + 1); }
    else if (event.key === "Tab") {
      var buttons = [prev, next, close].filter(function (b) { return !b.hidden; });
      var at = buttons.indexOf(document.activeElement);
      var to = event.shiftKey ? (at <= 0 ? buttons.length - 1 : at - 1) : (at + 1) % buttons.length;
      event.preventDefault();
      buttons[to].focus();
    }
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a.dvk-lightbox");
    if (!link) return;
    event.preventDefault();
    open(link);
  });
})();
