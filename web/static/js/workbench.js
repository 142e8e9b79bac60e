// The workbench's small scripts: filters apply on change; delegation asks for confirmation.
(function () {
  "use strict";
  var filters = document.getElementById("inbox-filters");
  if (filters) {
    filters.querySelectorAll("select, input[type=checkbox], input[type=date]").forEach(function (el) {
      el.addEventListener("change", function () { filters.submit(); });
    });
  }
  var delegate = document.getElementById("delegate-form");
  if (delegate) {
    delegate.addEventListener("submit", function (event) {
      var to = document.getElementById("delegate-to").value.trim();
      var lang = document.documentElement.lang;
      var question = lang === "en" ? "Hand this task to " + to + "?" : "将此待办转交给 " + to + "？";
      if (!to || !window.confirm(question)) { event.preventDefault(); }
    });
  }
})();
