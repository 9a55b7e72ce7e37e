// dvk search page: Pagefind UI in Vietnamese, with the query taken from ?q= (header form).
// The index holds folded words only (generator/search/records.py `fold_words`): lower
// case, no marks (so both tone placements meet), đ -> d, punctuation as spaces. The
// query is folded by the same rule, so "Định Công", "dinh cong" and "ĐỊNH CÔNG" are one
// search and rank alike. Double quotes stay (Pagefind's exact phrase).
(function () {
  var host = document.getElementById("dvk-search");
  if (!host || typeof PagefindUI === "undefined") return;
  function foldQuery(term) {
    return term.toLowerCase().normalize("NFD").replace(/\p{Mn}/gu, "").replace(/đ/g, "d")
      .replace(/[^\p{L}\p{N}"]+/gu, " ").trim();
  }
  var ui = new PagefindUI({
    element: "#dvk-search",
    processTerm: foldQuery,
    debounceTimeoutMs: 120,
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    pageSize: 10,
    excerptLength: 24,
    // The indexed text is folded; show the entry's own summary instead, as text.
    processResult: function (result) {
      var summary = result.meta && result.meta.summary;
      if (summary) {
        var div = document.createElement("div");
        div.textContent = summary;
        result.excerpt = div.innerHTML;
        delete result.meta.summary;
      }
      return result;
    },
    translations: {
      placeholder: "Tìm mô hình, điển hình, sự kiện",
      clear_search: "Xóa",
      load_more: "Xem thêm kết quả",
      search_label: "Tìm trong trang",
      filters_label: "Lọc",
      zero_results: "Không tìm thấy kết quả cho [SEARCH_TERM]",
      many_results: "[COUNT] kết quả cho [SEARCH_TERM]",
      one_result: "[COUNT] kết quả cho [SEARCH_TERM]",
      alt_search: "Không có kết quả cho [SEARCH_TERM]. Kết quả cho [DIFFERENT_TERM]",
      search_suggestion: "Không có kết quả cho [SEARCH_TERM]. Hãy thử:",
      searching: "Đang tìm [SEARCH_TERM]..."
    }
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) {
    ui.triggerSearch(q);
  } else {
    // Load the engine (script, page list, filters) while the citizen types, not after:
    // the UI starts loading when its box gets focus; this asks for it without moving the
    // focus (no phone keyboard popping up).
    var box = host.querySelector("input");
    if (box) box.dispatchEvent(new Event("focus"));
  }
})();
