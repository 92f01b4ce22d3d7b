/* The actors index: a filter by name (accents optional) and kind.
   - One page with everyone: hides the rows of the A–Z list and the most-active lists that
     do not match.
   - A–Z split into a page per letter (the form has data-names): each page lists one letter,
     so matches come from the list of every actor (names.json, fetched on first use) and are
     listed above the page's own lists, which are hidden while filtering.
   Without JavaScript the filter is not shown; the A–Z jump and the letter pages still work. */
(function () {
  "use strict";
  var form = document.querySelector(".actor-filter");
  if (!form) return;
  var SPECIAL = { "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ð": "d", "ħ": "h", "þ": "th", "æ": "ae", "Æ": "Ae", "œ": "oe", "ß": "ss" };
  var SHOWN = 60;  // matches listed at most from names.json: typing more narrows them
  function fold(text) {
    return text.replace(/[ıłŁøØđĐðħþæÆœß]/g, function (c) { return SPECIAL[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var input = form.querySelector("input");
  var kind = form.querySelector("select");
  var status = form.querySelector(".filter-status");
  var names = null;  // paged: [{name, href, kind, folded}], once fetched
  var matchList = null;

  function matches(name, rowKind, words, wanted) {
    return (!wanted || rowKind === wanted) && words.every(function (w) {
      return name.indexOf(w) >= 0;
    });
  }
  function say(count, filtering) {
    status.textContent = filtering ? count + " actor" + (count === 1 ? "" : "s") + " found" : "";
  }

  /* one page with everyone: filter its rows in place */
  var rows = Array.prototype.map.call(
    document.querySelectorAll(".az-list li, .ranked li"),
    function (li) { return { li: li, name: fold(li.querySelector("a").textContent),
                             kind: li.className.replace("k-", "") }; });
  var groups = document.querySelectorAll(".az-list");
  function filterInPlace(words, wanted) {
    var count = 0;
    rows.forEach(function (row) {
      var match = matches(row.name, row.kind, words, wanted);
      row.li.hidden = !match;
      if (match && row.li.parentNode.classList.contains("az-list")) count += 1;
    });
    Array.prototype.forEach.call(groups, function (list) {
      var empty = !list.querySelector("li:not([hidden])");
      list.hidden = empty;
      list.previousElementSibling.hidden = empty;  // the letter heading
    });
    say(count, words.length || wanted);
  }

  /* A–Z split by letter: list matches from every letter */
  function pageLists() {
    return document.querySelectorAll(".most-active, .all-actors, .choose-letter");
  }
  function filterEveryone(words, wanted) {
    var filtering = words.length || wanted;
    Array.prototype.forEach.call(pageLists(), function (el) { el.hidden = filtering; });
    if (!matchList) {
      matchList = document.createElement("ul");
      matchList.className = "az-list filter-matches";
      form.parentNode.insertBefore(matchList, form.nextSibling);
    }
    var found = filtering ? names.filter(function (a) {
      return matches(a.folded, a.kind, words, wanted);
    }) : [];
    matchList.replaceChildren.apply(matchList, found.slice(0, SHOWN).map(function (a) {
      var li = document.createElement("li");
      li.className = "k-" + a.kind;
      var link = document.createElement("a");
      link.href = a.href;
      link.textContent = a.name;
      li.append(link);
      return li;
    }));
    matchList.hidden = !filtering;
    say(found.length, filtering);
    if (found.length > SHOWN) status.textContent += ", the first " + SHOWN + " listed";
  }

  var loading = null;
  function loadNames() {
    if (!loading) {
      loading = fetch(form.dataset.names).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.url);
        return r.json();
      }).then(function (data) {
        names = data.actors.map(function (a) {
          return { name: a[0], href: a[1], kind: a[2], folded: fold(a[0]) };
        });
      });
    }
    return loading;
  }

  function apply() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var wanted = kind.value;
    if (!form.dataset.names) { filterInPlace(words, wanted); return; }
    if (names) { filterEveryone(words, wanted); return; }
    status.textContent = "Loading the list of actors…";
    loadNames().then(apply, function () {
      status.textContent = "The list of actors could not be loaded: press Enter to search.";
    });
  }
  form.classList.add("ready");
  input.addEventListener("input", apply);
  kind.addEventListener("change", apply);
  if (form.dataset.names) input.addEventListener("focus", loadNames, { once: true });
  // Enter in the box: with matches here, stay; with none, search the briefings for the words
  form.addEventListener("submit", function (event) {
    var listed = form.dataset.names ? matchList && matchList.children.length
      : document.querySelector(".az-list li:not([hidden])");
    if (listed) event.preventDefault();
  });
})();
