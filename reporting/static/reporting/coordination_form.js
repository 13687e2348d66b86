// Coordination activity form: show only the parts that apply, show partner rows one at a time with an
// « Ajouter une structure » button (more rows than the five sent by the server are cloned and renumbered).
// Everything works without this file: every part and five partner rows are shown, and the server checks each rule.
(function () {
  "use strict";

  var form = document.querySelector("[data-coordination-form]");
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
    return element.querySelector(".fr-fieldset--error, .fr-input-group--error, .fr-select-group--error, .fr-error-text") !== null;
  }

  var conditionals = Array.prototype.slice.call(form.querySelectorAll("[data-show-when]"));

  function update(initial) {
    conditionals.forEach(function (element) {
      var rule = element.getAttribute("data-show-when").split("=");
      var show = checkedValues(rule[0]).indexOf(rule[1]) !== -1;
      if (initial && !show && hasError(element)) {
        show = true;
      }
      element.hidden = !show;
    });
  }

  form.addEventListener("change", function () { update(false); });
  update(true);

  var group = form.querySelector("[data-partner-rows]");
  if (group) {
    var add = group.querySelector("[data-partner-add]");
    var rows = function () { return Array.prototype.slice.call(group.querySelectorAll("[data-partner-row]")); };
    var isEmpty = function (row) {
      return Array.prototype.every.call(row.querySelectorAll("input, select"), function (input) { return !input.value; });
    };
    // Keep the filled rows and the first empty one; hide the other empty rows.
    var keptEmpty = false;
    rows().forEach(function (row) {
      if (isEmpty(row) && !hasError(row)) {
        row.hidden = keptEmpty;
        keptEmpty = true;
      }
    });
    add.hidden = false;
    add.querySelector("button").addEventListener("click", function () {
      var hidden = rows().filter(function (row) { return row.hidden; });
      var row = hidden[0];
      if (!row) {
        var all = rows();
        var last = all[all.length - 1];
        var index = all.length;
        row = last.cloneNode(true);
        row.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (element) {
          ["id", "for", "name", "aria-describedby"].forEach(function (attribute) {
            var value = element.getAttribute(attribute);
            if (value) {
              element.setAttribute(attribute, value.replace(/_\d+/g, "_" + index));
            }
          });
        });
        row.querySelectorAll("label").forEach(function (label) {
          var text = Array.prototype.filter.call(label.childNodes, function (node) {
            return node.nodeType === Node.TEXT_NODE && /\d/.test(node.textContent);
          })[0];
          if (text) {
            text.textContent = text.textContent.replace(/\d+/, String(index + 1));
          }
        });
        row.querySelectorAll("input, select").forEach(function (input) { input.value = ""; });
        row.querySelectorAll(".fr-error-text").forEach(function (error) { error.remove(); });
        last.parentNode.insertBefore(row, add);
      }
      row.hidden = false;
      var first = row.querySelector("input");
      if (first) {
        first.focus();
      }
    });
  }

  var submitted = false;
  form.addEventListener("submit", function (event) {
    if (submitted) {
      event.preventDefault();
      return;
    }
    submitted = true;
  });
})();
