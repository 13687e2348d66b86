// Site-wide behaviour, loaded from a file (the content security policy forbids inline scripts).
(function () {
  "use strict";

  // A form came back with errors: move the focus to its error summary so that it is read first.
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
})();
