/* The search page: Pagefind's search box and results, filtered by actor and month.
   The index lives in the site's pagefind/ folder (written at build time); a search box on
   any page sends its words here as ?q=, which runs at once and stays in the address. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root.dataset.bundle,
    baseUrl: root.dataset.baseUrl,
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
})();
