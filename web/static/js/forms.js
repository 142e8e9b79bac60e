/* Small helpers for JSON Schema forms (web/ui/forms.py).
   1. After a refused submit, move the keyboard focus to the first field with an error,
      so screen-reader and keyboard users land where the correction is needed.
   2. A form with data-outcomes (web/ui/form_outcomes.py) shows a field only while an
      outcome that asks for it is chosen; a hidden field is disabled, so it is not sent.
      Without this script every field shows and the server checks the same schema. */
(function () {
  "use strict";

  function controls(form, name) {
    return Array.prototype.slice.call(form.elements).filter(function (el) {
      return el.name === name || el.name.indexOf(name + ".") === 0;
    });
  }

  function chosen(form, name) {
    return controls(form, name).filter(function (el) {
      return (el.type !== "radio" && el.type !== "checkbox") || el.checked;
    }).map(function (el) { return el.value; });
  }

  function holder(el) {
    return el.closest("fieldset.field, fieldset.group, .field") || el;
  }

  function apply(form, outcomes) {
    Object.keys(outcomes).forEach(function (name) {
      var asked = outcomes[name].some(function (pair) {
        var values = pair[1].map(String);
        return chosen(form, pair[0]).some(function (v) { return values.indexOf(v) >= 0; });
      });
      controls(form, name).forEach(function (el) {
        var box = holder(el);
        box.hidden = !asked;
        box.style.display = asked ? "" : "none";  /* over a stylesheet's display */
        box.setAttribute("data-outcome-hidden", asked ? "false" : "true");
        el.disabled = !asked;
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-outcomes]"), function (form) {
    var outcomes;
    try { outcomes = JSON.parse(form.getAttribute("data-outcomes")); } catch (e) { return; }
    if (!outcomes || !Object.keys(outcomes).length) { return; }
    apply(form, outcomes);
    form.addEventListener("change", function () { apply(form, outcomes); });
  });

  var first = document.querySelector('[aria-invalid="true"], .has-error input, .has-error select');
  if (first) { first.focus(); }
})();
