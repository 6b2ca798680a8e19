/* Brand gallery filters: year, stars, category, unit. Without JavaScript the page lists every brand;
   with it, the form appears and filters in place. The filter lives in the URL (?stars=5&category=joint)
   so a filtered view can be shared. */
(function () {
  "use strict";
  var form = document.getElementById("brand-filters");
  var gallery = document.getElementById("gallery");
  var status = document.getElementById("filter-status");
  if (!form || !gallery || !status) return;
  var names = ["year", "stars", "category", "unit"];
  var items = Array.prototype.slice.call(gallery.children);

  function words(value) { return (value || "").split(" "); }

  function chosen() {
    var picked = {};
    names.forEach(function (name) { picked[name] = form.elements[name].value; });
    return picked;
  }

  function matches(item, picked) {
    return (!picked.year || words(item.dataset.years).indexOf(picked.year) >= 0) &&
      (!picked.stars || item.dataset.stars === picked.stars) &&
      (!picked.category || item.dataset.category === picked.category) &&
      (!picked.unit || words(item.dataset.units).indexOf(picked.unit) >= 0);
  }

  function apply() {
    var picked = chosen();
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, picked);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    status.textContent = shown === items.length ? "共 " + items.length + " 个品牌"
      : shown === 0 ? "没有符合条件的品牌，请放宽筛选条件。"
      : "显示 " + shown + " 个品牌（共 " + items.length + " 个）";
    var query = new URLSearchParams();
    names.forEach(function (name) { if (picked[name]) query.set(name, picked[name]); });
    var search = query.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  var wanted = new URLSearchParams(location.search);
  names.forEach(function (name) {
    var select = form.elements[name];
    var value = wanted.get(name);
    var known = Array.prototype.some.call(select.options, function (option) { return option.value === value; });
    if (value && known) select.value = value;
  });
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
})();
