/* The actors index: a filter by name (accents optional) and kind over the A–Z list and the
   most-active lists. Without JavaScript the filter stays hidden; the A–Z jump still works. */
(function () {
  "use strict";
  var form = document.querySelector(".actor-filter");
  if (!form) return;
  var SPECIAL = { "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ð": "d", "ħ": "h", "þ": "th", "æ": "ae", "Æ": "Ae", "œ": "oe", "ß": "ss" };
  function fold(text) {
    return text.replace(/[ıłŁøØđĐðħþæÆœß]/g, function (c) { return SPECIAL[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var input = form.querySelector("input");
  var kind = form.querySelector("select");
  var status = form.querySelector(".filter-status");
  var rows = Array.prototype.map.call(
    document.querySelectorAll(".az-list li, .ranked li"),
    function (li) { return { li: li, name: fold(li.querySelector("a").textContent),
                             kind: li.className.replace("k-", "") }; });
  var groups = document.querySelectorAll(".az-list");
  function apply() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var wanted = kind.value;
    var count = 0;
    rows.forEach(function (row) {
      var match = (!wanted || row.kind === wanted) && words.every(function (w) {
        return row.name.indexOf(w) >= 0;
      });
      row.li.hidden = !match;
      if (match && row.li.parentNode.classList.contains("az-list")) count += 1;
    });
    Array.prototype.forEach.call(groups, function (list) {
      var empty = !list.querySelector("li:not([hidden])");
      list.hidden = empty;
      list.previousElementSibling.hidden = empty;  // the letter heading
    });
    var filtering = words.length || wanted;
    status.textContent = filtering ? count + " actor" + (count === 1 ? "" : "s") + " listed" : "";
  }
  form.hidden = false;
  input.addEventListener("input", apply);
  kind.addEventListener("change", apply);
  // Enter in the box: with matches here, stay; with none, search the briefings for the words
  form.addEventListener("submit", function (event) {
    if (document.querySelector(".az-list li:not([hidden])")) event.preventDefault();
  });
})();
