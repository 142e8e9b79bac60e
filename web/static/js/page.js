/* Small behaviours of plain pages, kept out of the templates so that the Content-Security-Policy
   can forbid inline scripts (web/ui/__init__.py):
   - a button with data-print prints the page;
   - a form with data-track-url opens the case whose number is typed in its "ref" field at
     that address plus the number (the case page of the portal). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-track-url]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var ref = form.elements.namedItem("ref");
      form.action = form.dataset.trackUrl + "/" + encodeURIComponent(ref.value.trim());
      // the number is in the path now; it would only repeat itself as ?ref=
      ref.disabled = true;
    });
  });
})();
