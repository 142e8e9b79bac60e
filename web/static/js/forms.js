/* Small helpers for JSON Schema forms (web/ui/forms.py): move the keyboard focus to the
   first field with an error after a refused submit, so screen-reader and keyboard users
   land where the correction is needed. */
(function () {
  "use strict";
  var first = document.querySelector('[aria-invalid="true"], .has-error input, .has-error select');
  if (first) { first.focus(); }
})();
