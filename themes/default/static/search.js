/* Site search with Pagefind (a static index in /pagefind/, written by `build.py`). The query and the
   filters live in the address (?q=星级管理&kind=服务品牌) so a search can be shared and bookmarked.
   Filters use the metadata each page declares (templates: search_facets): kind, years, units, stars.
   Chinese is indexed a character at a time (brandcolumn/search.py says why): the query is cut
   the same way, and a page counts only if its text holds every word of the query as written. */
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filterBox = document.getElementById("search-filters");
  if (!script || !form || !input || !status || !list || !filterBox) return;
  var selects = Array.prototype.slice.call(filterBox.querySelectorAll("select"));
  var SHOWN = 30;        /* results listed */
  var EXAMINED = 300;    /* results whose metadata is read for the filters */
  var pagefind = null;
  var serial = 0;
  var CJK = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";  /* as CJK in brandcolumn/search.py */
  var EACH_CJK = new RegExp("[" + CJK + "]", "g");
  var EXCERPT_SIDE = 30;  /* characters shown before the first match; twice as many after it */
  /* Pagefind gives the text back with a plain space where the index cut it around each Chinese
     character: those go, except beside the full stop where it joined two paragraphs or headings
     ("解读. 日期"), which becomes a separator that reads as Chinese. */
  var SPACED = new RegExp("(?<=[" + CJK + "])\\s+(?=[^\\s.])|(?<=[^\\s.])\\s+(?=[" + CJK + "])", "g");
  var JOINED = new RegExp("(?<=[" + CJK + "])\\. ", "g");

  function asIndexed(text) { return text.replace(EACH_CJK, " $& ").replace(/\s+/g, " ").trim(); }
  function readable(text) { return text.replace(SPACED, "").replace(JOINED, " · "); }
  function compact(text) { return readable(text).replace(/\s+/g, "").toLowerCase(); }
  function words(query) { return query.split(/\s+/).filter(Boolean); }

  function holdsEvery(data, wanted) {
    var text = compact(data.content);
    return wanted.every(function (word) { return text.indexOf(compact(word)) >= 0; });
  }

  /* A stretch of the page around the first word found, with each word marked (built as DOM nodes). */
  function excerptOf(content, wanted) {
    var text = readable(content);
    var lower = text.toLowerCase();
    var first = wanted.map(function (w) { return lower.indexOf(readable(w).toLowerCase()); })
      .filter(function (at) { return at >= 0; }).sort(function (a, b) { return a - b; })[0] || 0;
    var start = Math.max(0, first - EXCERPT_SIDE);
    var piece = text.slice(start, first + EXCERPT_SIDE * 2);
    var pattern = new RegExp("(" + wanted.map(function (w) {
      return readable(w).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")", "gi");
    var nodes = [document.createTextNode(start > 0 ? "……" : "")];
    piece.split(pattern).forEach(function (part, index) {
      if (index % 2) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(part));
      }
    });
    if (start + piece.length < text.length) nodes.push(document.createTextNode("……"));
    return nodes;
  }

  /* A large column's index comes in shards (pagefind/shards.json lists those after the first):
     all are merged into the first, so one search covers every page. */
  function load() {
    if (!pagefind) {
      var bundle = new URL(script.dataset.bundle, location.href);
      pagefind = Promise.all([
        import(bundle.href).then(function (module) {
          return module.options({ baseUrl: script.dataset.base }).then(function () { return module; });
        }),
        fetch(new URL("shards.json", bundle)).then(function (response) {
          if (!response.ok) throw new Error("no shard list: " + response.status);
          return response.json();
        })
      ]).then(function (both) {
        var module = both[0];
        return Promise.all(both[1].map(function (shard) {
          return module.mergeIndex(new URL(shard, bundle).href, { baseUrl: script.dataset.base });
        })).then(function () { return module; });
      });
      pagefind.catch(function () { pagefind = null; });  /* a failed load is tried again on the next search */
    }
    return pagefind;
  }

  function chosen() {
    var picked = {};
    selects.forEach(function (select) { if (select.value) picked[select.name] = select.value; });
    return picked;
  }

  function fits(meta, picked) {
    return (!picked.kind || meta.kind === picked.kind) &&
      (!picked.year || (meta.years || "").split(" ").indexOf(picked.year) >= 0) &&
      (!picked.unit || (meta.units || "").split("|").indexOf(picked.unit) >= 0) &&
      (!picked.stars || meta.stars === picked.stars);
  }

  function remember(query, picked) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    Object.keys(picked).forEach(function (name) { params.set(name, picked[name]); });
    var search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  function show(results, wanted) {
    list.replaceChildren();
    results.forEach(function (data) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = new URL(data.meta.url, new URL(script.dataset.base, location.href)).href;
      link.textContent = readable(data.meta.title || data.meta.url);
      heading.appendChild(link);
      var facts = document.createElement("p");
      facts.className = "meta";
      facts.textContent = [data.meta.kind, data.meta.date].filter(Boolean).join(" · ");
      var excerpt = document.createElement("p");
      excerpt.className = "summary";
      excerpt.append.apply(excerpt, excerptOf(data.content, wanted));
      item.append(heading, facts, excerpt);
      list.appendChild(item);
    });
  }

  function run() {
    var query = input.value.trim();
    var picked = chosen();
    var mine = ++serial;
    remember(query, picked);
    list.setAttribute("aria-busy", "true");  /* until these results are shown */
    if (!query) {
      list.setAttribute("aria-busy", "false");
      list.replaceChildren();
      status.textContent = "请输入要搜索的词。";
      return;
    }
    status.textContent = "正在搜索……";
    var wanted = words(query);
    load().then(function (module) {
      return module.search(asIndexed(query));
    }).then(function (search) {
      return Promise.all(search.results.slice(0, EXAMINED).map(function (r) { return r.data(); }));
    }).then(function (all) {
      if (mine !== serial) return;
      list.setAttribute("aria-busy", "false");
      var found = all.filter(function (data) { return holdsEvery(data, wanted) && fits(data.meta, picked); });
      show(found.slice(0, SHOWN), wanted);
      status.textContent = found.length ? "找到 " + found.length + " 条与“" + query + "”有关的结果" +
        (found.length > SHOWN ? "，列出最相关的 " + SHOWN + " 条。" : "。")
        : "没有找到与“" + query + "”有关的内容，请换一个词或放宽筛选条件。";
    }).catch(function () {
      if (mine !== serial) return;
      list.setAttribute("aria-busy", "false");
      status.textContent = "搜索暂时不可用，请直接浏览经验交流和品牌展示。";
    });
  }

  var wanted = new URLSearchParams(location.search);
  input.value = wanted.get("q") || "";
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
  var typing = null;
  input.addEventListener("input", function () {
    list.setAttribute("aria-busy", "true");
    clearTimeout(typing);
    typing = setTimeout(run, 250);
  });
  if (input.value) run();
})();
