// Bulk job page: poll the job's counts while it runs, update the progress bar, reload the page once it is finished
// (progressive enhancement: without JavaScript the page has a link to refresh it).
(function () {
  "use strict";

  var box = document.querySelector("[data-bulk-status-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-bulk-status-url");
  var bar = box.querySelector("progress");

  function set(selector, value) {
    var node = box.querySelector(selector);
    if (node) {
      node.textContent = String(value);
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        var processed = data.done + data.failed;
        if (bar) {
          bar.value = processed;
        }
        set("[data-bulk-processed]", processed);
        set("[data-bulk-done]", data.done);
        set("[data-bulk-failed]", data.failed);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 2000);
})();
