// Activity report form: show only the parts that apply, fold long lists on phones (their header says what is
// chosen), ignore a second click on "Enregistrer", and keep a draft in this browser when the network drops.
// Everything works without this file: the server validates each rule and ignores what does not apply.
(function () {
  "use strict";

  var form = document.querySelector("[data-activity-form]");
  if (!form) {
    return;
  }

  var SMALL_SCREEN = window.matchMedia("(max-width: 47.99em)");

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

  // --- Conditional parts -------------------------------------------------------------------------------------

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
      if (show && element.hidden && !initial) {
        // A part that appears because of the last answer is the next question: unfold it.
        element.querySelectorAll("details[data-fold]").forEach(function (fold) { fold.open = true; });
      }
      element.hidden = !show;
    });
  }

  // --- Folded lists --------------------------------------------------------------------------------------------

  var folds = Array.prototype.slice.call(form.querySelectorAll("details[data-fold]"));
  var announcer = document.createElement("p");
  announcer.className = "fr-sr-only";
  announcer.setAttribute("aria-live", "polite");
  form.appendChild(announcer);
  var announceTimer = null;

  function optionLabel(input) {
    var label = form.querySelector('label[for="' + input.id + '"]');
    if (!label) {
      return input.value;
    }
    var text = "";
    label.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        text += node.textContent;
      }
    });
    return text.replace(/\s+/g, " ").trim();
  }

  function chosenLabels(fold) {
    var labels = [];
    fold.querySelectorAll("input").forEach(function (input) {
      if (input.closest("[data-fold-ignore]")) {
        return;
      }
      if ((input.type === "checkbox" || input.type === "radio") && input.checked) {
        labels.push(optionLabel(input));
      } else if (input.type === "number" && input.value !== "" && input.value !== "0") {
        labels.push(optionLabel(input) + " " + input.value);
      }
    });
    return labels;
  }

  function summarise(fold) {
    var target = fold.querySelector("[data-fold-values]");
    var labels = chosenLabels(fold);
    target.textContent = labels.length ? labels.join(", ") : target.getAttribute("data-empty");
    return fold.querySelector(".cnum-fold__name").textContent + " : " + target.textContent;
  }

  function announce(text) {
    // Once the ticking pauses, not at every tick (each tick is already announced as "coché").
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { announcer.textContent = text; }, 1000);
  }

  function foldHasError(fold) {
    var field = fold.closest(".cnum-fold-field") || fold;
    return field.classList.contains("fr-fieldset--error") || hasError(field);
  }

  folds.forEach(function (fold) {
    summarise(fold);
    if (SMALL_SCREEN.matches && !foldHasError(fold)) {
      fold.open = false;
    }
  });

  function openFoldOf(element) {
    var fold = element && element.closest("details[data-fold]");
    if (fold) {
      fold.open = true;
    }
  }

  // A link of the error summary (or any link to a field) unfolds the list that holds the field.
  document.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (link && link.getAttribute("href").length > 1) {
      openFoldOf(document.getElementById(link.getAttribute("href").slice(1)));
    }
  });
  form.addEventListener("focusin", function (event) {
    // A field reached with the keyboard (its summary toggles the list by itself).
    if (event.target.tagName !== "SUMMARY") {
      openFoldOf(event.target);
    }
  });
  form.addEventListener("invalid", function (event) { openFoldOf(event.target); }, true);

  // --- Drafts kept in this browser -----------------------------------------------------------------------------
  // Key: cnum-cra-draft:<user>:<kind>:<token>. Never the CSRF token. Removed on a successful save, on "Annuler",
  // on logout (js/site.js), after 24 hours, and when another person opens the form in this browser.

  var PREFIX = "cnum-cra-draft:";
  var MAX_AGE_MS = 24 * 60 * 60 * 1000;
  var SKIPPED = ["csrfmiddlewaretoken", "next"];
  var user = form.getAttribute("data-draft-user");
  var kind = form.getAttribute("data-draft-kind");
  var mode = form.getAttribute("data-draft-mode");
  var statusBox = document.querySelector("[data-draft-status]");
  var tokenInput = form.querySelector('input[name="token"]');
  var storage = null;
  try {
    storage = window.localStorage;
    storage.getItem(PREFIX);
  } catch (error) {
    storage = null; // Private browsing or storage disabled: the form works, without drafts.
  }

  function draftKey(token) {
    return PREFIX + user + ":" + kind + ":" + token;
  }

  function readDraft(key) {
    try {
      return JSON.parse(storage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function allDraftKeys() {
    var keys = [];
    for (var index = 0; index < storage.length; index += 1) {
      var key = storage.key(index);
      if (key && key.indexOf(PREFIX) === 0) {
        keys.push(key);
      }
    }
    return keys;
  }

  function formValues() {
    var values = [];
    new FormData(form).forEach(function (value, name) {
      if (SKIPPED.indexOf(name) === -1 && typeof value === "string") {
        values.push([name, value]);
      }
    });
    return values;
  }

  function saveDraft(state, next) {
    if (!storage) {
      return;
    }
    var draft = { savedAt: Date.now(), state: state, mode: mode, action: form.action, next: next || "", values: formValues() };
    try {
      storage.setItem(draftKey(tokenInput.value), JSON.stringify(draft));
    } catch (error) {
      // Storage full: nothing more to do than the normal form.
    }
  }

  function removeDraft() {
    if (storage) {
      storage.removeItem(draftKey(tokenInput.value));
    }
  }

  function restoreValues(values) {
    var byName = {};
    values.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIPPED.indexOf(element.name) !== -1) {
        return;
      }
      var given = byName[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = given.indexOf(element.value) !== -1;
      } else if (element.type !== "submit" && element.type !== "button") {
        element.value = given.length ? given[0] : "";
      }
    });
    update(true);
    folds.forEach(summarise);
  }

  function showStatus(level, html) {
    statusBox.innerHTML = '<div class="fr-alert fr-alert--' + level + ' fr-alert--sm fr-mb-2w">' + html + "</div>";
  }

  function clearStatus() {
    statusBox.innerHTML = "";
  }

  function formatDate(time) {
    var date = new Date(time);
    return date.toLocaleDateString("fr-FR") + " à " + date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
  }

  // Clean up, then offer the most recent pending draft of this person and kind of form (another form than this one).
  function offerDraft() {
    var now = Date.now();
    var found = null;
    allDraftKeys().forEach(function (key) {
      var draft = readDraft(key);
      var parts = key.slice(PREFIX.length).split(":");
      if (!draft || parts[0] !== user || now - draft.savedAt > MAX_AGE_MS || draft.state === "sent") {
        storage.removeItem(key); // Expired, someone else's, or sent by a normal submission.
        return;
      }
      if (parts[1] !== kind || parts[2] === tokenInput.value) {
        return; // Another kind of form, or this very form (a page with errors): nothing to offer.
      }
      if ((mode === "edit") !== (draft.mode === "edit")) {
        return;
      }
      if (!found || draft.savedAt > found.draft.savedAt) {
        found = { key: key, token: parts[2], draft: draft };
      }
    });
    if (!found || hasError(document)) {
      return;
    }
    showStatus(
      "info",
      "<p>Un brouillon non envoyé du " + formatDate(found.draft.savedAt) + " a été retrouvé dans ce navigateur.</p>" +
        '<ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w">' +
        '<li><button type="button" class="fr-btn" data-draft-restore>Restaurer le brouillon</button></li>' +
        '<li><button type="button" class="fr-btn fr-btn--secondary" data-draft-delete>Effacer le brouillon</button></li></ul>'
    );
    statusBox.querySelector("[data-draft-restore]").addEventListener("click", function () {
      storage.removeItem(found.key);
      // The draft keeps its token: if it had in fact reached the server, sending it again changes nothing.
      restoreValues(found.draft.values);
      tokenInput.value = found.token;
      saveDraft("pending");
      showStatus("success", "<p>Brouillon restauré : vérifiez-le, puis enregistrez.</p>");
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    });
    statusBox.querySelector("[data-draft-delete]").addEventListener("click", function () {
      storage.removeItem(found.key);
      showStatus("info", "<p>Brouillon effacé.</p>");
      form.querySelector("input:not([type=hidden])").focus();
    });
  }

  // --- Submission: a normal POST when online; kept and sent once when the network is back -------------------

  var submitted = false;
  var queuedNext = null;
  var retryTimer = null;
  var saveTimer = null;

  function queue(next) {
    window.clearTimeout(saveTimer);
    queuedNext = next;
    saveDraft("queued", next);
    showStatus(
      "warning",
      "<p><strong>Pas de connexion : l'activité est gardée dans ce navigateur.</strong> Elle sera envoyée " +
        "automatiquement dès le retour du réseau. Ne fermez pas cette page.</p>"
    );
  }

  function sendQueued() {
    if (queuedNext === null || submitted) {
      return;
    }
    var next = queuedNext;
    submitted = true;
    window.clearTimeout(retryTimer);
    var data = new FormData(form);
    if (next) {
      data.append("next", next);
    }
    showStatus("info", "<p>Connexion retrouvée : envoi de l'activité…</p>");
    window
      .fetch(form.action || window.location.href, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
          // Saved (or already saved under this token): the next page shows the confirmation.
          removeDraft();
          queuedNext = null;
          window.location.assign(form.getAttribute(next === "another" ? "data-another-url" : "data-success-url"));
          return;
        }
        submitted = false;
        if (response.status === 200) {
          // The server refused a value: send the form normally to show its messages next to the fields.
          queuedNext = null;
          saveDraft("sent");
          form.submit();
          return;
        }
        queuedNext = null;
        saveDraft("pending");
        showStatus(
          "error",
          "<p>L'activité n'a pas pu être envoyée (" + response.status + "). Elle reste gardée dans ce navigateur : " +
            "reconnectez-vous si besoin, puis enregistrez de nouveau.</p>"
        );
      })
      .catch(function () {
        // Still no network: wait for the next "online" event, or try again in 30 seconds.
        submitted = false;
        retryTimer = window.setTimeout(sendQueued, 30000);
      });
  }

  form.addEventListener("submit", function (event) {
    if (submitted || queuedNext !== null) {
      event.preventDefault();
      return;
    }
    var next = event.submitter && event.submitter.name === "next" ? event.submitter.value : "";
    if (storage && navigator.onLine === false) {
      event.preventDefault();
      queue(next);
      return;
    }
    submitted = true;
    window.clearTimeout(saveTimer);
    // Kept until the next page: a page with errors shows the same token, which is not offered back.
    saveDraft("sent", next);
  });

  window.addEventListener("online", sendQueued);

  // Back from the next page (the browser's page cache): the form may be submitted again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      submitted = false;
    }
  });

  form.addEventListener("change", function () {
    update(false);
  });

  if (storage) {
    var saveSoon = function () {
      window.clearTimeout(saveTimer);
      saveTimer = window.setTimeout(function () {
        // Not once the form is sent or waiting for the network: that state is the one to keep.
        if (queuedNext === null && !submitted) {
          saveDraft("pending");
        }
      }, 400);
    };
    form.addEventListener("input", saveSoon);
    form.addEventListener("change", saveSoon);
    var discard = form.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", removeDraft);
    }
    offerDraft();
  }

  form.addEventListener("change", function (event) {
    var fold = event.target.closest("details[data-fold]");
    if (fold) {
      announce(summarise(fold));
    }
  });

  update(true);
})();
