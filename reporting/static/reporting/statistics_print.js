// The « Imprimer » button of the print-ready statistics page: shown only when JavaScript runs (the page itself
// prints without it, with the browser's own menu).
(function () {
  "use strict";

  document.querySelectorAll("[data-cnum-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
