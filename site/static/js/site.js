// Site-wide behaviour, loaded from a file (the content security policy forbids inline scripts).
(function () {
  "use strict";

  // A form came back with errors: move the focus to its error summary so that it is read first.
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
})();

// Logging out (the header's form, also copied into the mobile menu): forget the activity-report drafts this browser
// kept (reporting/activity_form.js), so that the next person on a shared computer finds none.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    if (!event.target.matches('form[action="/deconnexion/"]')) {
      return;
    }
    try {
      for (var index = window.localStorage.length - 1; index >= 0; index -= 1) {
        var key = window.localStorage.key(index);
        if (key && key.indexOf("cnum-cra-draft:") === 0) {
          window.localStorage.removeItem(key);
        }
      }
    } catch (error) {
      // Storage disabled: there is nothing to forget.
    }
  });
})();
