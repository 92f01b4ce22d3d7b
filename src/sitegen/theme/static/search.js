/* The search page: Pagefind's search box and results, filtered by actor and month.
   The index lives in the site's pagefind/ folder (written at build time); a search box on
   any page sends its words here as ?q=, which runs at once and stays in the address. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var bundle = root.dataset.bundle;
  var baseUrl = root.dataset.baseUrl;

  /* The index is split into partitions (pagefind/bundles.json lists them, the newest days
     first). Load Pagefind, point it at the first, merge the others all at once, then hand
     it to the UI: PagefindUI imports the same pagefind.js, so it gets this very instance.
     Merged indexes keep none of the first one's options, so each gets its own. */
  function mergePartitions() {
    return fetch(bundle + "bundles.json", {cache: "no-cache"})
      .then(function (response) { return response.json(); })
      .then(function (list) {
        var bundles = list.bundles || [];
        if (!bundles.length) return;
        return import(bundle + "pagefind.js").then(function (pagefind) {
          var first = bundles[0];
          return pagefind.options({basePath: first.path, baseUrl: baseUrl, metaCacheTag: first.tag})
            .then(function () { return pagefind.init(); })
            .then(function () {
              return Promise.all(bundles.slice(1).map(function (other) {
                return pagefind.mergeIndex(other.path, {baseUrl: baseUrl, metaCacheTag: other.tag});
              }));
            });
        });
      })
      .catch(function (error) { console.error("search: cannot load the index", error); });
  }

  mergePartitions().then(function () {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: baseUrl,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      autofocus: true,
      processTerm: function (term) {
        var url = new URL(window.location.href);
        if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
        window.history.replaceState(null, "", url);
        return term;
      }
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  });
})();
