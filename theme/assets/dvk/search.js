// dvk search page: a small interface over Pagefind's JavaScript API (pagefind.js).
//
// Why not Pagefind's ready-made UI: it drew the filter groups from whichever filter
// chunks had loaded when the first search returned (it loads them in parallel with
// that search), so some loads showed 1–4 of the 5 groups and kept them; it inserted
// filter names and values as HTML; and it had no way to show kind · place · date.
// Here every filter chunk is loaded (pagefind.filters()) before anything is drawn,
// every text from the index is inserted as text, and the ranking is ours to shape.
//
// Names (filter groups, meta fields, ranking options) come from the page's data-config,
// written by generator/render/search.py: this file has no list of its own.
(function () {
  "use strict";
  var root = document.getElementById("dvk-search");
  if (!root || !window.fetch || !("noModule" in document.createElement("script"))) return;
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
  var collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });

  var pagefind = null; // the ranked search
  var phraseIndex = null; // the same index, for exact phrases
  var groups = []; // filter group names in display order
  var boxes = {}; // group -> {value -> checkbox}
  var counters = {}; // group -> {value -> count element}
  var summaries = {}; // group -> element showing how many are chosen
  var selected = {}; // group -> Set of values
  var results = []; // ordered Pagefind results of the current search
  var shown = 0;
  var runId = 0;
  var timer = null;

  // The same folding as generator/text.py fold(): lower case, no marks, đ -> d.
  // Pagefind folds marks itself but not đ; the index carries folded copies of title,
  // places and summary, so the folded query ranks "Định Công" exactly as "dinh cong".
  // Other punctuation is left to Pagefind, which strips it from the query as it did from
  // the page ("src=x" is one word to both); double quotes go, since Pagefind would take
  // a quoted query for a phrase search.
  function fold(text) {
    var folded = text.normalize("NFD").toLowerCase().replace(/\p{Mn}/gu, "").replace(/đ/g, "d")
      .replace(/"/g, "").replace(/\s+/g, " ").trim();
    return /[\p{L}\p{N}]/u.test(folded) ? folded : "";
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

  function sortValues(values) {
    var numeric = values.every(function (v) { return /^\d+$/.test(v); });
    return values.sort(numeric ? function (a, b) { return b - a; } : collator.compare);
  }

  function drawFilters(all) {
    var known = config.filters.filter(function (g) { return all[g]; });
    var extra = Object.keys(all).filter(function (g) { return known.indexOf(g) < 0; }).sort(collator.compare);
    groups = known.concat(extra);
    panel.textContent = "";
    groups.forEach(function (group, gi) {
      // choices from the address that this index does not have are dropped
      selected[group] = new Set(Array.from(selected[group] || []).filter(function (v) { return v in all[group]; }));
      boxes[group] = {};
      counters[group] = {};
      var details = el("details", "dvk-search__group");
      var summary = el("summary", "dvk-search__group-name", group);
      summaries[group] = el("span", "dvk-search__group-chosen");
      summary.appendChild(summaries[group]);
      details.appendChild(summary);
      var fieldset = el("fieldset");
      fieldset.appendChild(el("legend", "dvk-sr-only", group));
      sortValues(Object.keys(all[group])).forEach(function (value, vi) {
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

  // Within a group the chosen values are alternatives (any); groups combine (all).
  function pagefindFilters(except) {
    var out = {};
    groups.forEach(function (g) {
      if (g !== except && selected[g].size) out[g] = { any: Array.from(selected[g]) };
    });
    return out;
  }

  // -- searching -----------------------------------------------------------------------

  // While typing: the index chunks of the words so far are fetched at once (Pagefind's
  // preload), so the search that runs once typing pauses finds them loaded; the pause
  // is short because the fetching no longer waits for it.
  function search(immediate) {
    clearTimeout(timer);
    if (immediate) return run();
    var term = fold(input.value);
    // not for a word's first letters: "d", "da" would fetch chunks "dan" does not need
    if (term && term.split(" ").pop().length >= 3) {
      // a chunk that fails to load now is fetched again by the search itself
      pagefind.preload(term).catch(function () {});
      phraseIndex.preload('"' + term + '"').catch(function () {});
    }
    timer = setTimeout(run, 120);
  }

  async function run() {
    var id = ++runId;
    var query = input.value;
    list.setAttribute("aria-busy", "true");
    var term = fold(query);
    remember(query);
    if (!term && chosenCount() === 0) {
      results = [];
      status.textContent = "";
      list.textContent = "";
      more.hidden = true;
      showCounts(null);
      list.setAttribute("aria-busy", "false");
      return;
    }
    var filters = pagefindFilters(null);
    var main = pagefind.search(term || null, { filters: filters });
    // The exact phrase (for one word: that word, not a longer one starting with it) in
    // the folded title, places, unit or summary ranks above scattered matches.
    var phrase = term ? phraseIndex.search('"' + term + '"', { filters: filters }) : null;
    // Counts for a group with choices leave that group's own choices out, so each count
    // says what ticking that value would give.
    var facets = groups.filter(function (g) { return selected[g].size; }).map(function (g) {
      return pagefind.search(term || null, { filters: pagefindFilters(g) }).then(function (r) { return [g, r.filters[g]]; });
    });
    var done = await Promise.all([main, phrase, Promise.all(facets)]);
    if (id !== runId) return; // a newer search has started
    var found = done[0];
    var phrased = new Set(done[1] ? done[1].results.map(function (r) { return r.id; }) : []);
    var counts = Object.assign({}, found.filters);
    done[2].forEach(function (pair) { counts[pair[0]] = pair[1]; });
    results = rank(found.results, phrased);
    showCounts(counts);
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

  // Exact phrases first, then the rest; Pagefind's score within each (the folded title
  // and places are weighted meta fields, so title matches lead).
  function rank(found, phrased) {
    var first = [], rest = [];
    found.forEach(function (r) { (phrased.has(r.id) ? first : rest).push(r); });
    return first.concat(rest);
  }

  async function showMore(id, focusNew) {
    var slice = results.slice(shown, shown + PAGE);
    var data = await Promise.all(slice.map(function (r) { return r.data(); }));
    if (id !== runId) return;
    var first = null;
    data.forEach(function (d) {
      var item = drawResult(d);
      list.appendChild(item);
      first = first || item.querySelector("a");
    });
    shown += slice.length;
    more.hidden = shown >= results.length;
    if (focusNew && first) first.focus();
  }

  function drawResult(d) {
    var meta = d.meta || {};
    var item = el("li", "dvk-result");
    var heading = el("h2", "dvk-result__title");
    var link = el("a", null, meta.title || d.url);
    link.href = d.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [meta[config.meta.kind], meta[config.meta.place], meta[config.meta.when]].filter(Boolean);
    if (facts.length) item.appendChild(el("p", "dvk-result__facts", facts.join(" · ")));
    var summary = meta[config.meta.summary];
    if (summary) item.appendChild(el("p", "dvk-result__summary", summary));
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
    if (pagefind) search(true);
  });
  input.addEventListener("input", function () { if (pagefind) search(false); });
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
  more.addEventListener("click", function () { showMore(runId, true); });

  async function start() {
    restore();
    var bundle = new URL(config.bundle, document.baseURI).href;
    status.textContent = input.value ? "Đang tải chỉ mục tìm kiếm…" : "";
    var module = await import(bundle + "pagefind.js");
    var basePath = new URL(bundle).pathname;
    var main = module.createInstance({ basePath: basePath, ranking: config.ranking, excerptLength: 0 });
    // Phrases are matched on the folded copies only: with diacritic variants allowed,
    // Pagefind 1.5 misses a phrase whose words also occur with marks on the same page.
    phraseIndex = module.createInstance({ basePath: basePath, exactDiacritics: true, excerptLength: 0 });
    var all = await main.filters(); // every filter chunk, before anything is drawn
    pagefind = main;
    drawFilters(all);
    showCounts(null);
    if (input.value || chosenCount()) await run();
    else status.textContent = "";
  }

  start().catch(function (error) {
    status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy tải lại trang.";
    console.error(error);
  });
})();
