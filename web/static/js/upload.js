/* Material uploads with a progress bar: each form.upload sends its chosen file to the
   materials API (multipart field "file", the material's code in "code") with the page's
   CSRF token, shows the progress, then reloads the page to show the new checklist. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  var lang = document.documentElement.lang === "en" ? "en" : "zh";
  var words = {
    zh: { sending: "正在上传…", done: "已上传", failed: "上传失败：" },
    en: { sending: "Uploading…", done: "Uploaded", failed: "Upload failed: " }
  }[lang];

  function send(form, file) {
    var bar = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
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
      var detail = "";
      try { detail = JSON.parse(xhr.responseText).detail || ""; } catch (e) { detail = xhr.statusText; }
      status.textContent = words.failed + detail;
    });
    xhr.addEventListener("error", function () { status.textContent = words.failed; });
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
