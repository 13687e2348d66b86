/* /api/docs: Swagger UI (served by django-ninja) made accessible.
   Swagger UI draws its controls after load and again at every expand; this observer names what it leaves unnamed
   (selects and inputs of the parameters, the servers list, the copy and close buttons, names that hide the visible text) and makes its scrolling code samples reachable with the
   keyboard. Loaded before swagger-ui-init.js, so that it watches from the first render. */
(function () {
  "use strict";

  function parameterName(control) {
    var row = control.closest("tr[data-param-name]");
    if (row) {
      return row.getAttribute("data-param-name");
    }
    if (control.id === "servers") {
      return "Serveur";
    }
    var label = control.closest("label");
    return label ? label.textContent.trim() : "";
  }

  function patch(root) {
    root.querySelectorAll("select:not([aria-label]), input:not([aria-label]), textarea:not([aria-label])").forEach(
      function (control) {
        var labelled = Array.prototype.some.call(control.labels || [], function (label) {
          // Swagger UI wraps the servers list in a <label> holding nothing but the list itself.
          return label.textContent.replace(control.textContent, "").trim() !== "";
        });
        if (labelled) {
          return;
        }
        var name = parameterName(control);
        if (name) {
          control.setAttribute("aria-label", name);
        }
      }
    );
    root.querySelectorAll(".copy-to-clipboard button:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Copier");
    });
    root.querySelectorAll(".close-modal:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Fermer");
    });
    // A name that hides the visible text ("Apply credentials" on "Authorize") misleads voice control users.
    root.querySelectorAll("button[aria-label]").forEach(function (button) {
      var text = button.textContent.trim();
      if (text && button.getAttribute("aria-label").indexOf(text) === -1) {
        button.setAttribute("aria-label", text);
      }
    });
    root.querySelectorAll("pre:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }

  var container = document.getElementById("swagger-ui");
  new MutationObserver(function () {
    patch(container);
  }).observe(container, { childList: true, subtree: true });
})();
