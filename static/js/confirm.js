// Asks before a form with data-confirm="question" is sent (in place of inline onsubmit handlers,
// which the Content-Security-Policy does not run). A submit button may carry its own data-confirm.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var question = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
