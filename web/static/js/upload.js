/* Material uploads with a progress bar: each form.upload sends its chosen file to the
   materials API (multipart field "file", the material's code in "code") with the page's
   CSRF token, shows the progress, then reloads the page to show the new checklist.
   A file over the form's data-max-bytes, or of a kind its data-accept does not list, is
   refused before sending; refusals are said with the texts the page gave (data-too-large,
   data-wrong-kind, data-empty, data-forbidden, data-ended, data-failed), in its language. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var words = {
    zh: { sending: "正在上传…", done: "已上传", failed: "上传失败，请稍后再试。" },
    en: { sending: "Uploading…", done: "Uploaded", failed: "The upload failed; please try again later." }
  }[lang];

  function said(form, name) { return form.dataset[name] || form.dataset.failed || words.failed; }

  function refusal(form, file) {
    var limit = parseInt(form.dataset.maxBytes || "0", 10);
    if (limit && file.size > limit) { return said(form, "tooLarge"); }
    if (file.size === 0) { return said(form, "empty"); }
    var accepted = (form.dataset.accept || "").split(",").filter(Boolean);
    var dot = file.name.lastIndexOf(".");
    var suffix = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
    if (accepted.length && accepted.indexOf(suffix) < 0) { return said(form, "wrongKind"); }
    return "";
  }

  function answered(form, xhr) {
    if (xhr.status === 413) { return said(form, "tooLarge"); }
    if (xhr.status === 403) { return said(form, "forbidden"); }
    if (xhr.status === 409) { return said(form, "ended"); }
    if (xhr.status === 422) {
      var fields = [];
      try { fields = JSON.parse(xhr.responseText).fields || []; } catch (e) { fields = []; }
      var file = fields.filter(function (f) { return f.path === "file"; })[0];
      if (file) { return said(form, file.message === "is empty" ? "empty" : "wrongKind"); }
    }
    return said(form, "failed");
  }

  function send(form, file) {
    var bar = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var refused = refusal(form, file);
    if (refused) {
      bar.hidden = true;
      status.textContent = refused;
      form.dataset.refused = "true";
      return;
    }
    delete form.dataset.refused;
    var data = new FormData();
    data.append("code", form.dataset.code);
    data.append("file", file);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.uploadUrl);
    xhr.setRequestHeader("X-CSRF-Token", token ? token.content : "");
    xhr.setRequestHeader("Accept", "application/json");
    bar.hidden = false;
    bar.value = 0;
    status.textContent = words.sending;
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 201) {
        bar.value = 100;
        status.textContent = words.done;
        form.dataset.uploaded = "true";
        window.setTimeout(function () { window.location.reload(); }, 400);
        return;
      }
      bar.hidden = true;
      status.textContent = answered(form, xhr);
    });
    xhr.addEventListener("error", function () { status.textContent = said(form, "failed"); });
    xhr.send(data);
  }

  document.querySelectorAll("form.upload").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var input = form.querySelector('input[type="file"]');
    input.addEventListener("change", function () {
      if (input.files.length) { send(form, input.files[0]); }
    });
  });
})();
