// Client-side search over window.VLS_INDEX (written by `vn-la-security site`): offline, no library.
// Entries: [kind, title, detail, url, folded title, folded other text]. Query words must all occur.
(function () {
  "use strict";
  var KINDS = {people: "Person", organizations: "Organization", meetings: "Meeting", agreements: "Agreement",
               projects: "Project", sources: "Source"};
  var LIMIT = 200;

  // The same folding as vn_la_security.site.fold: đ → d, no Latin diacritics, lowercase, punctuation → space.
  function fold(text) {
    return text.replace(/[đĐ]/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}]+/gu, " ").trim();
  }

  function search(query) {
    var words = fold(query).split(" ").filter(Boolean);
    if (!words.length) return [];
    var hits = [];
    window.VLS_INDEX.forEach(function (e, i) {
      var title = " " + e[4], all = title + " " + e[5];
      var score = 0;
      for (var k = 0; k < words.length; k++) {
        if (all.indexOf(words[k]) < 0) return;
        if (title.indexOf(" " + words[k]) >= 0) score += 2;
        else if (title.indexOf(words[k]) >= 0) score += 1;
      }
      if (title.trim() === words.join(" ")) score += 10;
      hits.push([score, i, e]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return hits.map(function (h) { return h[2]; });
  }

  function show(query) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    list.textContent = "";
    if (!query.trim()) { status.textContent = "Type a name, place, title or word."; return; }
    var hits = search(query);
    status.textContent = hits.length + (hits.length === 1 ? " result" : " results") + " for “" + query + "”" +
      (hits.length > LIMIT ? " (first " + LIMIT + " shown)" : "");
    hits.slice(0, LIMIT).forEach(function (e) {
      var li = document.createElement("li");
      li.className = "result result-" + e[0];
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = KINDS[e[0]] || e[0];
      var a = document.createElement("a");
      a.href = e[3];
      a.textContent = e[1];
      var detail = document.createElement("span");
      detail.className = "muted";
      detail.textContent = " " + e[2];
      li.appendChild(kind); li.appendChild(a); li.appendChild(detail);
      list.appendChild(li);
    });
  }

  var input = document.getElementById("q");
  var params = new URLSearchParams(window.location.search);
  var initial = params.get("q") || "";
  input.value = initial;
  show(initial);
  input.addEventListener("input", function () { show(input.value); });
})();
