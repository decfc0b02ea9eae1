// 我的下载: polls a download's status (JSON) and moves the progress bar; reloads the page once the
// file is ready or the export failed, so the link (or the reason and a retry button) shows.
(function () {
  "use strict";
  var box = document.getElementById("download");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("download-bar");
  var rows = document.getElementById("download-rows");
  var delay = 1000;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { delay = Math.min(delay * 2, 10000); window.setTimeout(poll, delay); return; }
        bar.style.width = data.percent + "%";
        bar.textContent = data.percent + "%";
        bar.parentNode.setAttribute("aria-valuenow", String(data.percent));
        rows.textContent = data.rows_text;
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(poll, delay);
      })
      .catch(function () { delay = Math.min(delay * 2, 10000); window.setTimeout(poll, delay); });
  }
  window.setTimeout(poll, delay);
})();
