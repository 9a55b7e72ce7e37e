// dvk search page: the form, filters and results over dvk's own index
// (theme/assets/dvk/search-engine.js reads what generator/search/index.py writes).
//
// Every filter group is drawn from the index before anything else, every text from the
// index is inserted as text, and the address keeps the query and the chosen filters.
// Filter group names, their values and their order come from the index: this file has
// no list of its own.
(function () {
  "use strict";
  var root = document.getElementById("dvk-search");
  if (!root || !window.fetch || !("noModule" in document.createElement("script"))) return;
  if (!window.dvkSearch) return;
  var config = JSON.parse(root.getAttribute("data-config"));
  var form = root.querySelector("form");
  var input = root.querySelector(".dvk-search__input");
  var tools = root.querySelector(".dvk-search__tools");
  var toggle = root.querySelector(".dvk-search__toggle");
  var active = root.querySelector(".dvk-search__active");
  var clear = root.querySelector(".dvk-search__clear");
  var panel = root.querySelector(".dvk-search__filters");
  var status = root.querySelector(".dvk-search__status");
  var list = root.querySelector(".dvk-search__results");
  var more = root.querySelector(".dvk-search__more");
  var PAGE = 10;

  var engine = null;
  var groups = []; // filter group names in display order
  // keyed by names from the index and the address: no inherited keys ("constructor")
  var boxes = Object.create(null); // group -> {value -> checkbox}
  var counters = Object.create(null); // group -> {value -> count element}
  var summaries = Object.create(null); // group -> element showing how many are chosen
  var selected = Object.create(null); // group -> Set of values
  var results = []; // ranked page numbers of the current search
  var shown = 0;
  var runId = 0;
  var timer = null;

  // The query folded as the index is (lower case, no marks, đ -> d): "" when it has no word.
  function fold(text) {
    return window.dvkSearch.foldWords(text).join(" ");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function chosenCount() {
    var n = 0;
    groups.forEach(function (g) { n += selected[g].size; });
    return n;
  }

  // -- filters -------------------------------------------------------------------------

  // The index's groups, values in its order (Vietnamese order; years newest first).
  function drawFilters(all) {
    groups = all.map(function (g) { return g.name; });
    panel.textContent = "";
    all.forEach(function (g, gi) {
      var group = g.name;
      // choices from the address that this index does not have are dropped
      selected[group] = new Set(Array.from(selected[group] || []).filter(function (v) { return g.values.indexOf(v) >= 0; }));
      boxes[group] = Object.create(null);
      counters[group] = Object.create(null);
      var details = el("details", "dvk-search__group");
      var summary = el("summary", "dvk-search__group-name", group);
      summaries[group] = el("span", "dvk-search__group-chosen");
      summary.appendChild(summaries[group]);
      details.appendChild(summary);
      var fieldset = el("fieldset");
      fieldset.appendChild(el("legend", "dvk-sr-only", group));
      g.values.forEach(function (value, vi) {
        var id = "dvk-f-" + gi + "-" + vi;
        var row = el("div", "dvk-search__option");
        var box = el("input");
        box.type = "checkbox";
        box.id = id;
        box.checked = selected[group].has(value);
        box.addEventListener("change", function () {
          if (box.checked) selected[group].add(value); else selected[group].delete(value);
          search(true);
        });
        var label = el("label", null, value);
        label.htmlFor = id;
        var count = el("span", "dvk-search__option-count");
        label.appendChild(count);
        row.appendChild(box);
        row.appendChild(label);
        fieldset.appendChild(row);
        boxes[group][value] = box;
        counters[group][value] = count;
        if (box.checked) details.open = true;
      });
      details.appendChild(fieldset);
      panel.appendChild(details);
    });
    tools.hidden = false;
  }

  function showCounts(counts) {
    groups.forEach(function (group) {
      var n = selected[group].size;
      summaries[group].textContent = n ? " (" + n + " đang chọn)" : "";
      Object.keys(counters[group]).forEach(function (value) {
        var c = counts && counts[group] ? counts[group][value] || 0 : null;
        counters[group][value].textContent = c === null ? "" : " (" + c + ")";
        boxes[group][value].closest(".dvk-search__option").classList.toggle("dvk-search__option--empty", c === 0 && !boxes[group][value].checked);
      });
    });
    var n = chosenCount();
    active.textContent = n ? " (" + n + ")" : "";
    clear.hidden = n === 0;
  }

  // -- searching -----------------------------------------------------------------------

  // While typing: the index shards of the words so far are fetched at once, so the
  // search that runs once typing pauses finds them loaded; the pause is short because
  // the fetching no longer waits for it. Within a group the chosen values are
  // alternatives (any); groups combine (all).
  function search(immediate) {
    clearTimeout(timer);
    if (immediate) return run();
    var term = fold(input.value);
    // not for a word's first letters: "d", "da" would fetch shards "dan" does not need
    if (term && term.split(" ").pop().length >= 3) {
      engine.preload(input.value).catch(function () {}); // fetched again by the search
    }
    timer = setTimeout(run, 120);
  }

  // A search that cannot load part of the index (a dropped connection, a site replaced
  // meanwhile) says so instead of leaving the last results under the new query.
  async function run() {
    var id = runId + 1;
    try {
      await runSearch(id);
    } catch (error) {
      if (id !== runId) return;
      results = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy kiểm tra kết nối rồi tải lại trang.";
      list.setAttribute("aria-busy", "false");
      console.error(error);
    }
  }

  async function runSearch(id) {
    runId = id;
    var query = input.value;
    list.setAttribute("aria-busy", "true");
    var term = fold(query);
    remember(query);
    if (!term && chosenCount() === 0) {
      results = [];
      // an empty box (Enter pressed on nothing, or the words deleted) says what to do
      status.textContent = "Gõ từ cần tìm (tên mô hình, địa bàn, lĩnh vực, năm) hoặc chọn bộ lọc.";
      list.textContent = "";
      more.hidden = true;
      showCounts(null);
      list.setAttribute("aria-busy", "false");
      return;
    }
    var found = await engine.search(term ? query : "", selected);
    if (id !== runId) return; // a newer search has started
    results = found.pages;
    showCounts(found.counts);
    var n = results.length;
    var what = term ? "“" + query.trim() + "”" : "bộ lọc đã chọn";
    list.textContent = "";
    shown = 0;
    await showMore(id, false);
    if (id !== runId) return;
    // announced once the results are on the page
    status.textContent = n ? n.toLocaleString("vi-VN") + " kết quả cho " + what : "Không tìm thấy kết quả cho " + what + ".";
    list.setAttribute("aria-busy", "false");
  }

  async function showMore(id, focusNew) {
    var slice = results.slice(shown, shown + PAGE);
    shown += slice.length; // counted now: a second click while these load asks for the next ones
    more.disabled = true;
    var data;
    try {
      data = await engine.rows(slice);
    } finally {
      more.disabled = false;
    }
    if (id !== runId) return;
    var first = null;
    data.forEach(function (d) {
      var item = drawResult(d);
      list.appendChild(item);
      first = first || item.querySelector("a");
    });
    more.hidden = shown >= results.length;
    if (focusNew && first) first.focus();
  }

  function drawResult(d) {
    var item = el("li", "dvk-result");
    var heading = el("h2", "dvk-result__title");
    var link = el("a", null, d.title || d.url);
    link.href = d.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [d.kind, d.place, d.year].filter(Boolean);
    if (facts.length) item.appendChild(el("p", "dvk-result__facts", facts.join(" · ")));
    if (d.summary) item.appendChild(el("p", "dvk-result__summary", d.summary));
    return item;
  }

  // The address keeps the query and the chosen filters, so a search can be shared or reloaded.
  function remember(query) {
    var params = new URLSearchParams();
    if (query.trim()) params.set("q", query.trim());
    groups.forEach(function (g) { selected[g].forEach(function (v) { params.append(g, v); }); });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    params.forEach(function (value, key) {
      if (key === "q") return;
      (selected[key] = selected[key] || new Set()).add(value);
    });
  }

  // -- wiring --------------------------------------------------------------------------

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("dvk-search--open", open);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (engine) search(true);
  });
  input.addEventListener("input", function () { if (engine) search(false); });
  toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && root.classList.contains("dvk-search--open")) {
      setOpen(false);
      toggle.focus();
    }
  });
  clear.addEventListener("click", function () {
    groups.forEach(function (g) {
      selected[g].clear();
      Object.keys(boxes[g]).forEach(function (v) { boxes[g][v].checked = false; });
    });
    search(true);
    input.focus();
  });
  more.addEventListener("click", function () {
    showMore(runId, true).catch(function (error) {
      status.textContent = "Không tải được thêm kết quả. Hãy kiểm tra kết nối rồi thử lại.";
      console.error(error);
    });
  });

  async function start() {
    restore();
    status.textContent = input.value ? "Đang tải chỉ mục tìm kiếm…" : "";
    var opened = await window.dvkSearch.open(config.bundle);
    drawFilters(opened.groups); // every group, before anything else is drawn
    engine = opened;
    showCounts(null);
    if (input.value || chosenCount()) await run();
    else status.textContent = "";
  }

  start().catch(function (error) {
    status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy tải lại trang.";
    console.error(error);
  });
})();
