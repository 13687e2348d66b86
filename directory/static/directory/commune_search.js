// Suggestions for commune inputs (data-commune-search) from /territoires/communes/?q=, in a <datalist>.
// Optional: the server resolves what was typed (name, postal code, or "Nom (code postal)").
(function () {
  "use strict";

  var SEARCH_URL = "/territoires/communes/";

  document.querySelectorAll("input[data-commune-search]").forEach(function (input, index) {
    var list = document.createElement("datalist");
    list.id = "communes-suggestions-" + index;
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var lastQuery = "";

    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (query.length < 2 || query === lastQuery || /\)$/.test(query)) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        lastQuery = query;
        fetch(SEARCH_URL + "?limit=8&q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (commune) {
              var option = document.createElement("option");
              option.value = commune.name + " (" + (commune.postal_codes[0] || commune.department) + ")";
              option.label = commune.label + " — " + commune.department_name;
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 200);
    });
  });
})();
