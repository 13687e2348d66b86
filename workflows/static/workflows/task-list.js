// Task lists: a "select all on this page" checkbox for the bulk selection (the page works without it).
(function () {
  "use strict";
  var all = document.querySelector("[data-select-all]");
  if (!all) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-select-item]"));
  all.closest("[data-select-all-group]").hidden = false;
  function sync() {
    var checked = items.filter(function (item) { return item.checked; }).length;
    all.checked = checked > 0 && checked === items.length;
    all.indeterminate = checked > 0 && checked < items.length;
  }
  all.addEventListener("change", function () {
    items.forEach(function (item) { item.checked = all.checked; });
  });
  items.forEach(function (item) { item.addEventListener("change", sync); });
  sync();
})();
