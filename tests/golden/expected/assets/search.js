/* The search page, on Pagefind's JavaScript API (no stock UI: the page is the theme's).
   - Bundles: the index is split into partitions (blocks of years of days, and the actors);
     pagefind/bundles.json (data-bundle on #search is its folder) lists them, the newest
     days first: that one is Pagefind's primary index, the others are merged into it all
     at once. Each has a tag that changes with its content, so that browsers fetch it
     again only then. Merged indexes keep none of the primary's options: each gets them.
   - Accents: the query is folded ("Yılmaz" -> "Yilmaz"); pages carry folded names.
   - Actor pages (filter type:Actor) are listed first, day pages (type:Day) after them.
   - Filters (year, month, actor) list only values that the current results have, with
     counts.
   - "Newest first" is ordered here, not by Pagefind's sort: merged bundles come back
     ordered by score whatever the sort (see newestFirst).
   - State lives in the address (?q=&year=&month=&actor=&order=), so results can be shared. */
const root = document.getElementById("search");
const form = root.querySelector("form");
const input = form.elements.q;
const status = root.querySelector(".search-status");
const actorList = root.querySelector(".search-actors");
const resultList = root.querySelector(".search-results");
const more = root.querySelector(".search-more");
const selects = { order: form.elements.order, year: form.elements.year,
                  month: form.elements.month, actor: form.elements.actor };
const PAGE = 10;
const ACTORS_SHOWN = 8;  // actor pages listed above the days (the count says how many match)
const SPECIAL = { "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
  "ð": "d", "ħ": "h", "þ": "th", "æ": "ae", "Æ": "Ae", "œ": "oe", "ß": "ss" };
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

/* the same folding as sitegen.model.fold_accents */
export function fold(text) {
  return text.replace(/[ıłŁøØđĐðħþæÆœß]/g, (c) => SPECIAL[c])
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

let pagefind = null;
let next = null;  // the next results' data: next(n) -> up to n, in the chosen order
let remaining = 0;  // results not shown yet
let token = 0;
let batches = Promise.resolve();  // the current search's batches of results, in turn

async function load() {
  const folder = root.dataset.bundle;
  const [listed, loaded] = await Promise.all([
    fetch(folder + "bundles.json", { cache: "no-cache" }).then((response) => response.json()),
    import(folder + "pagefind.js"),
  ]);
  const [primary, ...others] = listed.bundles;
  const options = (bundle) => ({ baseUrl: root.dataset.baseUrl, excerptLength: 30,
                                 metaCacheTag: bundle.tag });
  pagefind = loaded;
  await pagefind.options({ ...options(primary), basePath: primary.path });
  await pagefind.init();
  await Promise.all(others.map((b) => pagefind.mergeIndex(b.path, options(b))));
  await pagefind.filters();  // loads the filter indexes: searches then count by filter
}

function chosenFilters() {
  const filters = { type: "Day" };
  for (const name of ["year", "month", "actor"]) {
    if (selects[name].value) filters[name] = selects[name].value;
  }
  return filters;
}

/* options with counts above zero; the chosen one is kept even when its count is 0 */
function fillSelect(select, counts, label, order) {
  const chosen = select.value;
  const first = select.options[0];
  const values = Object.entries(counts || {}).filter(([v, n]) => n > 0 || v === chosen);
  values.sort(order);
  select.replaceChildren(first, ...values.map(([value, n]) => {
    const option = new Option(`${label(value)} (${n})`, value);
    option.selected = value === chosen;
    return option;
  }));
}

function monthLabel(value) {
  const [year, month] = value.split("-");
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

function updateFilters(filters) {
  const newestFirst = (a, b) => (a[0] < b[0] ? 1 : -1);
  fillSelect(selects.year, filters.year, (v) => v, newestFirst);
  const year = selects.year.value;
  const months = Object.fromEntries(Object.entries(filters.month || {})
    .filter(([v]) => year && v.startsWith(year + "-")));
  fillSelect(selects.month, months, monthLabel, newestFirst);
  selects.month.disabled = !year;
  fillSelect(selects.actor, filters.actor, (v) => v, (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function words(query) {
  return fold(query).toLowerCase().split(/\s+/).filter(Boolean);
}

/* The passage of the page that matches (the item, when the match is in one), from the
   page's text without its hidden folded names: Pagefind's own excerpt would show them. */
function excerpt(data, query) {
  let text = data.content;
  const folded = data.meta.folded;
  if (folded) text = text.replace(folded, "");
  const plain = fold(text).toLowerCase();
  let at = -1;
  for (const word of words(query)) {
    const found = plain.indexOf(word);
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  // the page's title opens its text: the result shows it already
  const title = data.meta.title || "";
  const skip = title && text.startsWith(title) ? title.length + (text.slice(title.length)
    .match(/^[.\s]*/)[0].length) : 0;
  if (at < 0) return { text: text.slice(skip, skip + 200), anchor: null, at: -1 };
  const wordIndex = text.slice(0, at).split(/\s+/).length - 1;
  const item = (data.anchors || []).filter((a) => /^item-/.test(a.id) && a.location <= wordIndex)
    .pop();
  const from = at < skip ? 0 : skip;  // (a match in the title: the text from its start)
  const start = Math.max(from, text.lastIndexOf(" ", Math.max(0, at - 90)));
  const end = text.indexOf(" ", Math.min(text.length, at + 150));
  return { text: (start > from ? "… " : "") + text.slice(start, end < 0 ? undefined : end).trim()
    + (end < 0 ? "" : " …"), anchor: item ? item.id : null };
}

function highlight(node, text, query) {
  const foldedWords = words(query);
  const parts = text.split(/(\s+)/);
  for (const part of parts) {
    const bare = fold(part).toLowerCase();
    if (foldedWords.some((w) => w.length > 1 && bare.includes(w))) {
      // the word is marked, not the punctuation around it ("Ukraine," or “Kyiv”)
      const [, before, word, after] = part.match(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su);
      const mark = document.createElement("mark");
      mark.textContent = word || part;
      if (word) node.append(before, mark, after); else node.append(mark);
    } else {
      node.append(part);
    }
  }
}

function dayResult(data, query) {
  const li = document.createElement("li");
  const found = excerpt(data, query);
  const link = document.createElement("a");
  link.href = data.url + (found.anchor ? "#" + found.anchor : "");
  const date = document.createElement("span");
  date.className = "result-date";
  date.textContent = data.meta.date || "";
  const title = document.createElement("span");
  title.className = "result-title";
  title.textContent = (found.anchor ? "Item " + found.anchor.slice(5) + " · " : "")
    + (data.meta.title || "");
  link.append(date, title);
  const p = document.createElement("p");
  highlight(p, found.text, query);
  li.append(link, p);
  return li;
}

function actorResult(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title;
  const role = document.createElement("span");
  role.textContent = data.meta.role || "";
  li.append(link, " ", role);
  return li;
}

/* Best match: the merged results as Pagefind ranks them. */
function bestMatch(results) {
  const left = results.slice();
  return (count) => Promise.all(left.splice(0, count).map((r) => r.data()));
}

/* Newest first over all bundles. The results' counts per month say which months have
   results; they are searched one month at a time, newest first, and each month's few
   results are put in order by their day (the pages' `day` meta). So only the months shown
   are fetched, however many bundles the index has and however they split the days. */
function newestFirst(term, filters, monthCounts) {
  const months = filters.month ? [filters.month]
    : Object.keys(monthCounts || {}).filter((m) => monthCounts[m] > 0).sort().reverse();
  let pending = [];
  return async (count) => {
    const out = [];
    while (out.length < count && (pending.length || months.length)) {
      if (!pending.length) {
        const found = await pagefind.search(term, { filters: { ...filters, month: months.shift() } });
        pending = await Promise.all(found.results.map((r) => r.data()));
        pending.sort((a, b) => (a.meta.day < b.meta.day ? 1 : a.meta.day > b.meta.day ? -1 : 0));
      }
      out.push(...pending.splice(0, count - out.length));
    }
    return out;
  };
}

/* The next batch of results, after the batches asked for before it: a second click on
   "More results" before the first one's results are in waits for them. (Two batches at
   once took their months from the shared list in turn and overwrote each other's pending
   results: days were listed twice, out of order, or not at all.) */
function showMore(query) {
  const mine = token;
  batches = batches.catch(() => {}).then(async () => {  // (a failed batch was reported)
    if (mine !== token) return;
    const datas = await next(PAGE);
    if (mine !== token) return;
    remaining -= datas.length;
    resultList.append(...datas.map((d) => dayResult(d, query)));
    more.hidden = remaining <= 0 || datas.length === 0;
  });
  return batches;
}

function saveState(query) {
  const url = new URL(window.location.href);
  for (const [name, value] of [["q", query], ...Object.entries(selects).map(([n, s]) => [n, s.value])]) {
    if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
  }
  window.history.replaceState(null, "", url);
}

async function run() {
  const query = input.value.trim();
  const mine = ++token;
  saveState(query);
  if (!query && !selects.actor.value && !selects.year.value) {
    status.textContent = "";
    actorList.hidden = true;
    resultList.replaceChildren();
    more.hidden = true;
    return;
  }
  status.textContent = "Searching…";
  more.hidden = true;  // the previous results' button, until these are in
  const term = query ? fold(query) : null;
  const filters = chosenFilters();
  const [actors, days] = await Promise.all([
    term ? pagefind.search(term, { filters: { type: "Actor" } }) : null,
    pagefind.search(term, { filters }),
  ]);
  if (mine !== token) return;
  const actorData = actors
    ? await Promise.all(actors.results.slice(0, ACTORS_SHOWN).map((r) => r.data())) : [];
  if (mine !== token) return;
  actorList.replaceChildren(...actorData.map(actorResult));
  actorList.hidden = actorData.length === 0;
  updateFilters(days.filters);
  const count = days.results.length;
  resultList.replaceChildren();
  remaining = count;
  batches = Promise.resolve();  // a batch of an earlier search, still on its way, is dropped
  next = selects.order.value === "newest" ? newestFirst(term, filters, days.filters.month)
    : bestMatch(days.results);
  await showMore(query);
  if (mine !== token) return;
  // the count last: once it is shown, so are the first results
  status.textContent = `${count.toLocaleString("en")} day${count === 1 ? "" : "s"}`
    + (actorData.length ? ` and ${actors.results.length.toLocaleString("en")} actor`
      + (actors.results.length === 1 ? "" : "s")
      + (actors.results.length > actorData.length ? ` (the first ${actorData.length} shown)` : "")
      : "")
    + (query ? ` for “${query}”` : "");
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  selects.order.value = params.get("order") || "";
  form.querySelector(".search-options").hidden = false;
  await load();
  // filters named in the address: put them in as options so that they can be chosen
  for (const name of ["year", "month", "actor"]) {
    const value = params.get(name);
    if (value) selects[name].append(new Option(value, value, true, true));
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
  for (const select of Object.values(selects)) {
    select.addEventListener("change", () => {
      if (select === selects.year) selects.month.value = "";
      run();
    });
  }
  // A double click on "More results" asks for one batch. Its second click may come after
  // that batch is in, and land on the result that the longer list put under the pointer:
  // the second click of a double click opens no result either.
  more.addEventListener("click", (event) => {
    if (event.detail < 2) showMore(input.value.trim());
  });
  resultList.addEventListener("click", (event) => {
    if (event.detail > 1) event.preventDefault();
  });
  input.focus();
  await run();
}

if (root) start();
