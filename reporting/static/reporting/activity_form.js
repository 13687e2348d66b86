// Activity report form: show only the parts that apply, and ignore a second click on "Enregistrer".
// Everything works without this file: the server validates each rule and ignores what does not apply.
(function () {
  "use strict";

  var form = document.querySelector("[data-activity-form]");
  if (!form) {
    return;
  }

  function checkedValues(name) {
    var values = [];
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      if (input.checked) {
        values.push(input.value);
      }
    });
    return values;
  }

  function hasError(element) {
    return element.querySelector(".fr-fieldset--error, .fr-input-group--error, .fr-error-text") !== null;
  }

  var conditionals = Array.prototype.slice.call(form.querySelectorAll("[data-show-when]"));

  function update(initial) {
    conditionals.forEach(function (element) {
      var rule = element.getAttribute("data-show-when").split("=");
      var expected = rule[1].split(",");
      var current = checkedValues(rule[0]);
      var show = current.some(function (value) { return expected.indexOf(value) !== -1; });
      if (initial && !show && hasError(element)) {
        show = true;
      }
      if (!show && !element.hidden && element.hasAttribute("data-clear-when-hidden") && !initial) {
        element.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (input) {
          input.checked = false;
        });
      }
      element.hidden = !show;
    });
  }

  form.addEventListener("change", function () { update(false); });
  update(true);

  var submitted = false;
  form.addEventListener("submit", function (event) {
    if (submitted) {
      event.preventDefault();
      return;
    }
    submitted = true;
  });
})();
