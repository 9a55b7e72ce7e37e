/* Awards gallery filter: level and district selects narrow the cards shown on this page.
   Without JavaScript the form stays hidden and every card (grouped by year and level) shows. */
(function () {
  function setup() {
    var form = document.querySelector("form[data-dvk-filter]");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    form.hidden = false;
    var cards = Array.prototype.slice.call(document.querySelectorAll(".dvk-award"));
    var groups = Array.prototype.slice.call(document.querySelectorAll(".dvk-award-group"));
    function apply() {
      var level = form.elements.level.value, place = form.elements.place.value, shown = 0;
      cards.forEach(function (card) {
        var ok = (!level || card.dataset.level === level) && (!place || card.dataset.place === place);
        card.hidden = !ok;
        if (ok) shown++;
      });
      groups.slice().reverse().forEach(function (group) {
        group.hidden = !group.querySelector(".dvk-award:not([hidden])");
      });
      form.elements.shown.value = (level || place) ? shown + " khen thưởng" : "";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }
  if (window.document$) window.document$.subscribe(setup); else document.addEventListener("DOMContentLoaded", setup);
})();
