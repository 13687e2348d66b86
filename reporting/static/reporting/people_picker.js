// Followed people picker of the activity form: search my followed people as I type (names only) and add the
// matches as choices; for an individual report, hide the questions her record answers. Without this file, the
// « Rechercher » button re-displays the form with the matches, and the server ignores what her record answers.
(function () {
  "use strict";

  var picker = document.querySelector("[data-people-picker]");
  if (!picker) {
    return;
  }
  var form = picker.closest("form");
  var search = picker.querySelector("[data-people-search]");
  var status = picker.querySelector("[data-people-status]");
  var found = picker.querySelector("[data-people-found]");
  var individual = picker.getAttribute("data-kind") !== "collectif";
  var timer = null;
  var latest = 0;

  function known(id) {
    return form.querySelector('input[name="beneficiaires"][value="' + id + '"]') !== null;
  }

  function option(person, index) {
    var wrapper = document.createElement("div");
    wrapper.className = individual ? "fr-radio-group fr-mb-1w" : "fr-checkbox-group fr-mb-1w";
    var input = document.createElement("input");
    input.type = individual ? "radio" : "checkbox";
    input.name = "beneficiaires";
    input.value = String(person.id);
    input.id = "beneficiaires-trouve-" + index;
    var label = document.createElement("label");
    label.className = "fr-label";
    label.htmlFor = input.id;
    label.textContent = person.name;
    wrapper.appendChild(input);
    wrapper.appendChild(label);
    return wrapper;
  }

  function show(results) {
    var added = 0;
    results.forEach(function (person, index) {
      if (!known(person.id)) {
        found.appendChild(option(person, found.children.length + index));
        added += 1;
      }
    });
    status.textContent = results.length === 0
      ? "Aucune personne suivie ne correspond."
      : results.length + " personne(s) trouvée(s)" + (added ? ", ajoutée(s) à la liste." : ", déjà dans la liste.");
  }

  function run() {
    var query = search.value.trim();
    if (query.length < 2) {
      status.textContent = "";
      return;
    }
    var ticket = ++latest;
    fetch(picker.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) { if (ticket === latest) { show(data.results); } })
      .catch(function () { status.textContent = "La recherche n'a pas abouti : utilisez le bouton « Rechercher »."; });
  }

  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });

  // Individual report: her record answers genre, tranche d'âge, statut and « déjà accompagnée ».
  function answeredByRecord() {
    var chosen = form.querySelector('input[name="beneficiaires"]:checked');
    var typed = form.querySelector('[name="nouvelle_prenom"]').value.trim() || form.querySelector('[name="nouvelle_nom"]').value.trim();
    return Boolean((chosen && chosen.value) || typed);
  }

  function update() {
    if (!individual) {
      return;
    }
    var hide = answeredByRecord();
    ["gender", "age", "status", "already_accompanied"].forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      // A radio group is its own fieldset inside the template's element; a checkbox sits in it directly.
      var start = input && input.type === "radio" ? input.closest("fieldset").parentElement : input;
      var element = start && start.closest(".fr-fieldset__element");
      if (element) {
        element.hidden = hide;
      }
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", function (event) {
    if (event.target.name === "nouvelle_prenom" || event.target.name === "nouvelle_nom") {
      update();
    }
  });
  update();
})();
