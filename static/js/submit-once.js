// A form that changes data is sent once: a second tap while the first request is on its way (a double
// tap on a slow village connection) would register the worker twice or answer with "already registered".
// Runs after confirm.js (a cancelled confirmation sends nothing); htmx forms manage their own requests.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || form.method.toLowerCase() !== "post" || form.hasAttribute("hx-post")) {
    return;
  }
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
});
// Back to a page kept in the browser's cache: its forms may be sent again.
window.addEventListener("pageshow", function (event) {
  if (event.persisted) {
    document.querySelectorAll("form[data-sent]").forEach(function (form) { delete form.dataset.sent; });
  }
});
