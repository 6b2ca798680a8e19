/* Site search: the search page's form, results and filters, over the column's index (pagefind/,
   written by `build.py`; its engine is pagefind/pagefind.js, brandcolumn/search/engine.js).
   The query and the filters live in the address (?q=星级管理&kind=服务品牌) so a search can be
   shared and bookmarked. The count is exact; results come PAGE at a time ("更多结果"), each
   excerpt fetched when its result comes into view (a phone loads only what a reader sees). */
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var hint = document.getElementById("search-hint");
  var filterBox = document.getElementById("search-filters");
  if (!script || !form || !input || !status || !list || !more || !hint || !filterBox) return;
  var selects = Array.prototype.slice.call(filterBox.querySelectorAll("select"));
  var PAGE = 30;
  var engine = null;
  var serial = 0;
  var found = [];  /* the results of the last search, best first */
  var query = "";
  var watcher = "IntersectionObserver" in window ? new IntersectionObserver(function (seen) {
    seen.forEach(function (entry) {
      if (entry.isIntersecting) { watcher.unobserve(entry.target); fillExcerpt(entry.target); }
    });
  }, {rootMargin: "400px 0px"}) : null;

  function load() {
    if (!engine) {
      engine = import(new URL(script.dataset.bundle, location.href).href);
      engine.catch(function () { engine = null; });  /* a failed load is tried again on the next search */
    }
    return engine;
  }

  function chosen() {
    var picked = {};
    selects.forEach(function (select) { if (select.value) picked[select.name] = select.value; });
    return picked;
  }

  function remember(text, picked) {
    var params = new URLSearchParams();
    if (text) params.set("q", text);
    Object.keys(picked).forEach(function (name) { params.set(name, picked[name]); });
    var search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  function link(url) {
    return new URL(url, new URL(script.dataset.base, location.href)).href;
  }

  function item(result) {
    var entry = document.createElement("li");
    var heading = document.createElement("h2");
    var anchor = document.createElement("a");
    anchor.href = link(result.meta.url);
    anchor.textContent = result.meta.title || result.meta.url;
    heading.appendChild(anchor);
    var facts = document.createElement("p");
    facts.className = "meta";
    facts.textContent = [result.meta.kind, chineseDate(result.meta.date)].filter(Boolean).join(" · ");
    var summary = document.createElement("p");
    summary.className = "summary";
    entry.append(heading, facts, summary);
    entry.result = result;
    if (watcher) watcher.observe(entry); else fillExcerpt(entry);
    return entry;
  }

  /* 2009-04-01 as the pages write it: 2009年4月1日 */
  function chineseDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return parts ? parts[1] + "年" + Number(parts[2]) + "月" + Number(parts[3]) + "日" : iso;
  }

  function fillExcerpt(entry) {
    var mine = serial;
    entry.result.data().then(function (data) {
      if (mine !== serial) return;
      var summary = entry.querySelector(".summary");
      summary.replaceChildren();
      data.excerpt.forEach(function (part, index) {
        if (index % 2) {
          var mark = document.createElement("mark");
          mark.textContent = part;
          summary.appendChild(mark);
        } else if (part) {
          summary.appendChild(document.createTextNode(part));
        }
      });
    }).catch(function () { /* the title still links to the page */ });
  }

  function describe() {
    var shown = list.children.length;
    if (!found.length) {
      status.textContent = "没有找到与“" + query + "”有关的内容，请换一个词或放宽筛选条件。";
    } else if (found.length <= PAGE) {
      status.textContent = "找到 " + found.length + " 条与“" + query + "”有关的结果。";
    } else {
      status.textContent = "找到 " + found.length + " 条与“" + query + "”有关的结果，显示第 1-" + shown + " 条。";
    }
    more.hidden = shown >= found.length;
    more.textContent = "更多结果（还有 " + (found.length - shown) + " 条）";
  }

  function showMore() {
    var start = list.children.length;
    found.slice(start, start + PAGE).forEach(function (result) { list.appendChild(item(result)); });
    describe();
    var next = list.children[start];
    if (next && start) next.querySelector("a").focus();  /* keyboard and screen readers go on from there */
  }

  /* Brands a query typed in pinyin may mean: "您是不是要找：心桥", linked. */
  function suggest(names) {
    hint.replaceChildren();
    hint.hidden = !names.length;
    if (!names.length) return;
    hint.appendChild(document.createTextNode("您是不是要找："));
    names.forEach(function (name, index) {
      var anchor = document.createElement("a");
      anchor.href = link(name.url);
      anchor.textContent = name.title;
      if (index) hint.appendChild(document.createTextNode("、"));
      hint.appendChild(anchor);
    });
  }

  function run() {
    var text = input.value.trim();
    var picked = chosen();
    var mine = ++serial;
    remember(text, picked);
    list.setAttribute("aria-busy", "true");  /* until these results are shown */
    if (!text) {
      suggest([]);
      found = [];
      list.replaceChildren();
      more.hidden = true;
      list.setAttribute("aria-busy", "false");
      status.textContent = "请输入要搜索的词。";
      return;
    }
    status.textContent = "正在搜索……";
    load().then(function (module) {
      return module.search(text, {filters: picked});
    }).then(function (search) {
      if (mine !== serial) return;
      found = search.results;
      query = text;
      suggest(search.suggestions || []);
      if (watcher) watcher.disconnect();  /* the results it watched are going */
      list.replaceChildren();
      showMore();
      list.setAttribute("aria-busy", "false");
    }).catch(function () {
      if (mine !== serial) return;
      suggest([]);
      found = [];
      list.replaceChildren();
      more.hidden = true;
      list.setAttribute("aria-busy", "false");
      status.textContent = "搜索暂时不可用，请直接浏览经验交流和品牌展示。";
    });
  }

  var wanted = new URLSearchParams(location.search);
  if (wanted.has("q")) input.value = wanted.get("q");  /* else keep what was typed before this script ran */
  selects.forEach(function (select) {
    var value = wanted.get(select.name);
    if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.value = value;
    }
  });
  filterBox.hidden = false;
  list.setAttribute("aria-busy", "false");
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  filterBox.addEventListener("change", run);
  more.addEventListener("click", showMore);
  var typing = null;
  input.addEventListener("input", function () {
    list.setAttribute("aria-busy", "true");
    clearTimeout(typing);
    typing = setTimeout(run, 250);
  });
  if (input.value) run();
})();
