// Suggestions for the list filters that choose a township, village, workshop, worker… by name
// (core.filtersets.ChoiceByName): while the user types, the scoped choices endpoint
// (data-choices-url, GET ?q=) fills the input's <datalist>. No inline script: the CSP forbids it.
(function () {
  "use strict";
  var DELAY = 200;
  var timers = new WeakMap();
  var last = new WeakMap();

  function fill(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.dataset.choicesUrl;
    if (!list || !url) {
      return;
    }
    var q = input.value.trim();
    if (last.get(input) === q) {
      return;
    }
    last.set(input, q);
    fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {results: []}; })
      .then(function (data) {
        if (input.value.trim() !== q) {
          return; // the user typed on; a newer request fills the list
        }
        var options = document.createDocumentFragment();
        (data.results || []).forEach(function (choice) {
          var option = document.createElement("option");
          option.value = choice.value;
          if (choice.label !== choice.value) {
            option.label = choice.label;
          }
          options.appendChild(option);
        });
        list.replaceChildren(options);
        list.dataset.filledFor = q;
      })
      .catch(function () { /* no suggestions; typing a name still filters */ });
  }

  function later(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.choicesUrl) {
      return;
    }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { fill(input); }, event.type === "focusin" ? 0 : DELAY));
  }

  document.addEventListener("input", later);
  document.addEventListener("focusin", later);
})();
