// Commune suggestions for the application forms (progressive enhancement: without JavaScript the server resolves
// the typed name or postal code). Fills the hidden commune code when a suggestion is chosen.
(function () {
  "use strict";

  document.querySelectorAll("[data-commune-field]").forEach(function (wrapper) {
    var input = wrapper.querySelector("input[data-commune-autocomplete]");
    if (!input) {
      return;
    }
    var hidden = document.getElementById(input.getAttribute("data-commune-autocomplete"));
    var list = wrapper.querySelector("[data-commune-suggestions]");
    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);
    var timer = null;
    var controller = null;

    function clear() {
      list.innerHTML = "";
      list.hidden = true;
    }

    function choose(item) {
      input.value = item.label;
      if (hidden && hidden.type === "hidden") {
        hidden.value = item.code;
      }
      clear();
      status.textContent = item.label + " sélectionnée.";
      input.focus();
    }

    function render(results) {
      list.innerHTML = "";
      if (!results.length) {
        list.hidden = true;
        status.textContent = "Aucune commune trouvée.";
        return;
      }
      var ul = document.createElement("ul");
      ul.className = "fr-btns-group fr-btns-group--sm";
      results.slice(0, 8).forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "fr-btn fr-btn--tertiary fr-btn--sm";
        button.textContent = item.label + " — " + item.department_name;
        button.addEventListener("click", function () {
          choose(item);
        });
        li.appendChild(button);
        ul.appendChild(li);
      });
      list.appendChild(ul);
      list.hidden = false;
      status.textContent = results.length + " commune(s) proposée(s) : utilisez Tab pour les parcourir.";
    }

    input.addEventListener("input", function () {
      if (hidden && hidden.type === "hidden") {
        hidden.value = "";
      }
      window.clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) {
        clear();
        return;
      }
      timer = window.setTimeout(function () {
        if (controller) {
          controller.abort();
        }
        controller = new AbortController();
        fetch("/territoires/communes/?limit=8&q=" + encodeURIComponent(q), { signal: controller.signal })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            render(data.results || []);
          })
          .catch(function () {});
      }, 200);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        clear();
      }
    });
  });
})();
