// "Cite this entry": the access date is the reader's (the built page must not carry the
// build date), and the page address when the site has no site_url. Text only, no HTML.
(function () {
  var block = document.querySelector(".dvk-cite");
  if (!block) return;
  var url = block.querySelector("[data-dvk-cite-url]");
  if (url && !url.textContent.trim()) url.textContent = location.origin + location.pathname;
  var today = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var day = block.querySelector("[data-dvk-today]");
  if (day) day.textContent = pad(today.getDate()) + "/" + pad(today.getMonth() + 1) + "/" + today.getFullYear();
  var accessed = block.querySelector("[data-dvk-accessed]");
  if (accessed) accessed.hidden = false;
})();
