// dvk search engine: reads the index the build writes (generator/search/index.py) and
// answers queries in the browser. No third-party code, no WebAssembly, no worker.
//
// Why this shape: the records are folded and cut into syllables by the build, so a query
// needs, per word, the pages that have it and the section it weighs most in (title,
// place, summary, story); the words are fetched one shard at a time, so the first query
// downloads the small index.json and the shards of the words typed, never the whole
// index. A page must have every word; the last word also matches as the start of a
// longer one while it is being typed ("kh" finds "kheo"). Pages where the words stand
// together, in that order, in the title, place or summary come first ("dinh cong"; a
// title before a summary), then
// the rest by weight: each word adds the weight of its section times how rare it is,
// more in a short page than in a long one (BM25's length rule, each word counted once).
//
// window.dvkSearch.open(bundleUrl) -> Promise of an engine with
//   groups: [{name, values, pages}], the filter groups in display order;
//   preload(query), search(query, chosen) -> {pages, counts}, rows(pages) -> [{url, …}].
(function () {
  "use strict";
  var FORMAT = 1; // generator/search/index.py FORMAT
  var PREFIX_WEIGHT = 0.5; // a word matched only as the start of a longer one counts half
  var K1 = 1.2, B = 0.75; // BM25's usual constants

  // The same folding as generator/text.py fold() and the records' words: lower case,
  // no marks (so both tone placements agree), đ -> d, anything not a letter or digit
  // breaks words.
  function foldWords(text) {
    return text.normalize("NFD").toLowerCase().replace(/\p{Mn}/gu, "").replace(/đ/g, "d")
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // index.json keeps its name from build to build: asked anew each time the page opens
  // (the other files are named by their content and may come from the browser's cache)
  function fetchJson(url, fresh) {
    return fetch(url, fresh ? { cache: "no-cache" } : undefined).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  // A term's postings in a shard, never an inherited property ("constructor").
  function postingsOf(shard, term) {
    return Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
  }

  function Engine(base, index) {
    this.base = base;
    this.root = new URL("../", base); // the bundle sits at the site's root
    this.index = index;
    this.groups = index.filters;
    this.keys = Object.keys(index.shards);
    var sum = index.lengths.reduce(function (a, b) { return a + b; }, 0);
    var average = Math.max(1, sum / Math.max(1, index.pages));
    // how much a match counts in each page: more in a short one
    this.lengthFactor = index.lengths.map(function (n) { return (K1 + 1) / (1 + K1 * (1 - B + B * n / average)); });
    this.shards = {}; // file name -> Promise of {term: postings}
    this.chunks = {}; // file name -> Promise of rows
  }

  // The shard holding `word` (and the pairs starting with it): its longest key. Keys
  // count letters as the build does (code points, not UTF-16 units).
  Engine.prototype.keyOf = function (word) {
    var letters = Array.from(word);
    for (var n = Math.min(letters.length, this.index.max_key); n > 0; n--) {
      var key = letters.slice(0, n).join("");
      if (postingsOf(this.index.shards, key)) return key;
    }
    return null;
  };

  // Keys whose shards may hold words starting with `word`: its own, and longer keys that
  // continue it (a common opening is split into several shards).
  Engine.prototype.prefixKeys = function (word) {
    var own = this.keyOf(word);
    var longer = Array.from(word).length < this.index.max_key ? this.keys.filter(function (k) { return k.length > word.length && k.slice(0, word.length) === word; }) : [];
    var keys = own ? [own].concat(longer) : longer;
    // beyond the index's limit the word waits to be longer: the words before it search alone
    return keys.length > this.index.prefix_shards ? null : keys;
  };

  // A file of the bundle, fetched once (`store` keeps the promise); a failed fetch is
  // forgotten, so the next search asks again.
  Engine.prototype.load = function (store, name) {
    if (!store[name]) {
      store[name] = fetchJson(new URL(name, this.base).href).catch(function (error) {
        delete store[name];
        throw error;
      });
    }
    return store[name];
  };

  Engine.prototype.shard = function (key) {
    return this.load(this.shards, this.index.shards[key]);
  };

  // The words of a query as typed (for phrases) and once each (for matching), the word
  // still being typed (matched as the start of longer ones), and the shards it all needs.
  Engine.prototype.plan = function (query) {
    var typed = foldWords(query);
    var prefix = typed.length && !/\s$/.test(query) && Array.from(typed[typed.length - 1]).length >= 2 ? typed[typed.length - 1] : null;
    var opened = prefix ? this.prefixKeys(prefix) : [];
    if (opened === null) { // too many shards for now: the words before it, or the word itself exactly
      if (typed.length > 1) typed = typed.slice(0, -1);
      prefix = null;
      opened = [];
    }
    var words = [];
    typed.forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); });
    var keys = {};
    var self = this;
    words.forEach(function (w) {
      var own = self.keyOf(w);
      if (own) keys[own] = true;
    });
    opened.forEach(function (k) { keys[k] = true; });
    return { typed: typed, words: words, prefix: prefix, keys: Object.keys(keys) };
  };

  Engine.prototype.preload = function (query) {
    var self = this;
    return Promise.all(this.plan(query).keys.map(function (k) { return self.shard(k); }));
  };

  // Postings (page deltas times `width` plus a tag) into `into`: Map(page -> tag), a
  // page there already keeping merge(its tag, the new one).
  function decode(coded, width, into, merge) {
    var page = 0;
    for (var i = 0; i < coded.length; i++) {
      var tag = coded[i] % width;
      page += (coded[i] - tag) / width;
      var had = into.get(page);
      into.set(page, had === undefined ? tag : merge(had, tag));
    }
    return into;
  }

  // A word's tag is the section where it weighs most: the heavier (lower) one is kept.
  function decodeWord(coded, width, into) {
    return decode(coded, width, into, Math.min);
  }

  // A pair's tag is the bits of the sections that have it: or-ed together.
  function decodePair(coded, width, into) {
    return decode(coded, width, into, function (a, b) { return a | b; });
  }

  // Every term of the loaded shards that starts with `start` (a word or pair being typed),
  // other than `exact`; words and pairs are not mixed.
  function startingWith(loaded, start, exact) {
    var pair = start.indexOf(" ") >= 0;
    var found = [];
    loaded.forEach(function (shard) {
      for (var term in shard) {
        if (term !== exact && term.slice(0, start.length) === start && (term.indexOf(" ") >= 0) === pair) found.push(shard[term]);
      }
    });
    return found;
  }

  // chosen: {group name: Set of values}. Returns {pages: ranked page numbers that pass
  // every group, counts: {group: {value: n}}}, each group's counts leaving out its own
  // choices, so a count says what ticking that value would give.
  Engine.prototype.search = async function (query, chosen) {
    var plan = this.plan(query);
    var self = this;
    var byKey = {};
    var loaded = await Promise.all(plan.keys.map(function (k) { return self.shard(k).then(function (s) { byKey[k] = s; return s; }); }));
    var weights = this.index.weights;
    var total = this.index.pages;
    var candidates = null; // Map page -> score
    var tiers = new Map(); // page -> how strongly the words stand together (0: scattered)
    plan.words.forEach(function (word) {
      var shard = byKey[self.keyOf(word)] || {};
      var coded = postingsOf(shard, word);
      var exact = coded ? decodeWord(coded, weights.length, new Map()) : new Map();
      var partial = new Map();
      if (word === plan.prefix) {
        startingWith(loaded, word, word).forEach(function (coded) { decodeWord(coded, weights.length, partial); });
      }
      var df = new Set(exact.keys());
      partial.forEach(function (_, p) { df.add(p); });
      var rarity = Math.log(1 + total / Math.max(1, df.size));
      var next = new Map();
      df.forEach(function (p) {
        if (candidates && !candidates.has(p)) return;
        var full = exact.has(p) ? weights[exact.get(p)] : 0;
        var part = partial.has(p) ? weights[partial.get(p)] * PREFIX_WEIGHT : 0;
        next.set(p, (candidates ? candidates.get(p) : 0) + rarity * Math.max(full, part) * self.lengthFactor[p]);
      });
      candidates = next;
      // one word: the word itself (not a longer one), the heavier its section the higher
      if (plan.words.length === 1) exact.forEach(function (section, p) { tiers.set(p, weights.length - section); });
    });
    if (plan.words.length > 1 && plan.typed.length > 1) tiers = this.together(plan, byKey);
    return this.narrow(candidates, tiers, chosen);
  };

  // Pages where each word is followed by the next in one section (title, place or
  // summary): Map(page -> tier), higher for a heavier section.
  Engine.prototype.together = function (plan, byKey) {
    var width = this.index.pair_width;
    var masks = null;
    for (var i = 0; i + 1 < plan.typed.length; i++) {
      var pair = plan.typed[i] + " " + plan.typed[i + 1];
      var shard = byKey[this.keyOf(plan.typed[i])] || {};
      var coded = postingsOf(shard, pair);
      var found = coded ? decodePair(coded, width, new Map()) : new Map();
      if (plan.prefix && i + 2 === plan.typed.length) {
        startingWith([shard], pair, pair).forEach(function (coded) { decodePair(coded, width, found); });
      }
      var kept = new Map();
      found.forEach(function (mask, p) {
        var both = masks ? (masks.get(p) || 0) & mask : mask;
        if (both) kept.set(p, both);
      });
      masks = kept;
    }
    var tiers = new Map();
    var sections = this.index.weights.length;
    masks.forEach(function (mask, p) {
      var section = 0;
      while (!(mask & (1 << section))) section++;
      tiers.set(p, sections - section);
    });
    return tiers;
  };

  Engine.prototype.narrow = function (candidates, tiers, chosen) {
    var groups = this.groups.filter(function (g) { return chosen[g.name] && chosen[g.name].size; });
    var counts = {};
    this.groups.forEach(function (g) { counts[g.name] = {}; });
    var passed = [];
    var all = this.groups;
    var consider = function (p) {
      var failed = null, fails = 0;
      for (var i = 0; i < groups.length && fails < 2; i++) {
        var g = groups[i];
        var v = g.pages[p];
        if (v < 0 || !chosen[g.name].has(g.values[v])) { failed = g; fails++; }
      }
      if (fails > 1) return;
      all.forEach(function (g) {
        if (fails && g !== failed) return;
        var v = g.pages[p];
        if (v >= 0) counts[g.name][g.values[v]] = (counts[g.name][g.values[v]] || 0) + 1;
      });
      if (!fails) passed.push(p);
    };
    if (candidates) candidates.forEach(function (_, p) { consider(p); });
    else for (var p = 0; p < this.index.pages; p++) consider(p);
    if (candidates) {
      passed.sort(function (a, b) {
        return (tiers.get(b) || 0) - (tiers.get(a) || 0) || candidates.get(b) - candidates.get(a) || a - b;
      });
    }
    return { pages: passed, counts: counts };
  };

  // What the results show, for some page numbers: {url, title, summary, kind, place, year}.
  Engine.prototype.rows = function (pages) {
    var self = this;
    var size = this.index.chunk;
    return Promise.all(pages.map(function (p) {
      var n = Math.floor(p / size);
      return self.load(self.chunks, self.index.chunks[n]).then(function (rows) {
        var row = rows[p - n * size];
        var url = new URL(row[0], self.root);
        // a page of this site, never another scheme or host, whatever the index says
        var href = url.origin === self.root.origin && /^https?:$/.test(url.protocol) ? url.href : self.root.href;
        return { url: href, title: row[1], summary: row[2], kind: row[3], place: row[4], year: row[5] };
      });
    }));
  };

  window.dvkSearch = {
    foldWords: foldWords,
    open: function (bundleUrl) {
      var base = new URL(bundleUrl, document.baseURI);
      return fetchJson(new URL("index.json", base).href, true).then(function (index) {
        if (index.format !== FORMAT) throw new Error("search index format " + index.format);
        return new Engine(base.href, index);
      });
    },
  };
})();
