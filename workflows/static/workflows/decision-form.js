// Decision forms: show only the fields the chosen decision needs (progressive enhancement: without JavaScript
// every field is shown, with a hint saying when it is required, and the server checks them all).
(function () {
  "use strict";

  var DEPENDENT_FIELDS = {
    // "attribuer": a structure application; "accorder": an avenant, a reconventionnement (RequestDecision).
    decision: { posts_granted: ["attribuer", "accorder"], reason: ["refuser"] },
    opinion: { reason: ["defavorable"] },
  };

  document.querySelectorAll("form[data-decision-form]").forEach(function (form) {
    Object.keys(DEPENDENT_FIELDS).forEach(function (choiceName) {
      var radios = form.querySelectorAll('input[type="radio"][name="' + choiceName + '"]');
      if (!radios.length) {
        return;
      }
      var rules = DEPENDENT_FIELDS[choiceName];

      function update() {
        var checked = form.querySelector('input[type="radio"][name="' + choiceName + '"]:checked');
        var value = checked ? checked.value : null;
        Object.keys(rules).forEach(function (fieldName) {
          var field = form.querySelector('[name="' + fieldName + '"]');
          if (!field) {
            return;
          }
          var group = field.closest(".fr-input-group, .fr-select-group") || field.parentElement;
          var hasError = group.classList.contains("fr-input-group--error") || group.classList.contains("fr-select-group--error");
          group.hidden = !hasError && rules[fieldName].indexOf(value) === -1;
        });
      }

      radios.forEach(function (radio) {
        radio.addEventListener("change", update);
      });
      update();
    });
  });
})();
