/* The studio's diagrams (global BpmnJS from /vendor/: the viewer or the modeler bundle).
   data-mode="view"  draws a version's diagram;
   data-mode="heat"  adds badges with the cases at each element and the average time there;
   data-mode="edit"  opens the modeler: window.onethingModeler is the bpmn-js Modeler and
                     window.onethingStudio.rename(id, name) / .save() drive it; #save-diagram
                     posts the XML to the studio API, which deploys a new version or answers
                     the problems, shown as red markers and overlays and in #problems. */
(function () {
  "use strict";

  var el = document.getElementById("studio-canvas");
  if (!el) { return; }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function fallback() {
    var note = document.querySelector(".studio-fallback");
    if (note) { note.hidden = false; }
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function loadXml() {
    return fetch(el.dataset.xmlUrl, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("diagram " + r.status); }
      return r.text();
    });
  }

  function badge(overlays, id, text, kind) {
    var node = document.createElement("span");
    node.className = "studio-badge studio-badge-" + kind;
    node.textContent = text;
    overlays.add(id, kind, { position: kind === "cases" ? { top: -12, right: 12 }
                                                        : { bottom: -6, left: 0 }, html: node });
  }

  function duration(seconds) {
    if (seconds >= 86400) { return (seconds / 86400).toFixed(1) + " d"; }
    if (seconds >= 3600) { return (seconds / 3600).toFixed(1) + " h"; }
    return Math.round(seconds / 60) + " min";
  }

  function showHeat(viewer) {
    return fetch(el.dataset.heatUrl, { credentials: "same-origin",
                                       headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var overlays = viewer.get("overlays");
        var registry = viewer.get("elementRegistry");
        var canvas = viewer.get("canvas");
        body.elements.forEach(function (e) {
          if (!registry.get(e.element)) { return; }
          if (e.cases > 0) {
            canvas.addMarker(e.element, "studio-hot");
            badge(overlays, e.element, fill(el.dataset.msgCases, { n: e.cases }), "cases");
          }
          if (e.average_seconds !== null) {
            badge(overlays, e.element,
                  fill(el.dataset.msgAverage, { t: duration(e.average_seconds) }), "average");
          }
        });
      });
  }

  function status(text, kind) {
    var out = document.getElementById("save-status");
    out.textContent = text;
    out.dataset.state = kind;
  }

  function clearProblems(modeler) {
    var overlays = modeler.get("overlays");
    var canvas = modeler.get("canvas");
    overlays.remove({ type: "problem" });
    overlays.remove({ type: "warning" });
    modeler.get("elementRegistry").forEach(function (shape) {
      canvas.removeMarker(shape.id, "studio-problem");
      canvas.removeMarker(shape.id, "studio-warning");
    });
    document.getElementById("problems").textContent = "";
  }

  function showProblems(modeler, problems, kind) {
    kind = kind || "problem";
    var list = document.getElementById("problems");
    var registry = modeler.get("elementRegistry");
    var overlays = modeler.get("overlays");
    var canvas = modeler.get("canvas");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.dataset.element = p.element || "";
      item.className = "studio-" + kind;
      item.textContent = p.file + (p.line ? ":" + p.line : "") +
        (p.element ? ": " + p.element : "") + ": " + p.message;
      list.appendChild(item);
      if (p.element && registry.get(p.element)) {
        canvas.addMarker(p.element, "studio-" + kind);
        var note = document.createElement("span");
        note.className = "studio-badge studio-badge-" + kind;
        note.textContent = kind === "warning" ? "?" : "!";
        note.title = p.message;
        overlays.add(p.element, kind, { position: { top: -12, left: -12 }, html: note });
      }
    });
  }

  function save(modeler) {
    clearProblems(modeler);
    status("…", "busy");
    return modeler.saveXML({ format: true }).then(function (result) {
      return fetch(el.dataset.saveUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json",
                   "X-CSRF-Token": csrf() },
        body: JSON.stringify({ file: el.dataset.file, xml: result.xml })
      });
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (answer) {
      var body = answer.body;
      if (answer.status === 201 || answer.status === 200) {
        var text = fill(answer.status === 201 ? el.dataset.msgSaved : el.dataset.msgSame,
                        { version: body.version });
        status(text, answer.status === 201 ? "saved" : "same");
        var link = document.createElement("a");
        link.href = "/studio/versions/" + body.id;
        link.textContent = " v" + body.version;
        link.id = "saved-version";
        document.getElementById("save-status").appendChild(link);
        if (body.warnings && body.warnings.length) {
          showProblems(modeler, body.warnings, "warning");
        }
      } else if (body.problems) {
        status(el.dataset.msgProblems, "problems");
        showProblems(modeler, body.problems);
      } else {
        status(fill(el.dataset.msgFailed, { reason: body.detail || answer.status }), "failed");
      }
      return answer;
    });
  }

  /* Spiff diagrams point loopDataInputRef/loopDataOutputRef at process variables, not at
     elements; bpmn-moddle cannot resolve them and would drop them on save. A stand-in
     object with that id keeps each such reference as it was written. */
  function keepUnresolved(modeler, warnings) {
    var moddle = modeler.get("moddle");
    (warnings || []).forEach(function (w) {
      if (!w.element || !w.property || typeof w.value !== "string" ||
          !/unresolved reference/.test(w.message || "")) { return; }
      var name = w.property.replace(/^bpmn:/, "");
      var stand = moddle.create("bpmn:DataInput", { id: w.value });
      var current = w.element.get(name);
      if (Array.isArray(current)) { current.push(stand); } else { w.element.set(name, stand); }
    });
  }

  function start() {
    if (typeof window.BpmnJS !== "function") { fallback(); return; }
    var mode = el.dataset.mode;
    var diagram = new window.BpmnJS({ container: el, keyboard: { bindTo: document } });
    loadXml().then(function (xml) {
      return diagram.importXML(xml);
    }).then(function (result) {
      if (mode === "edit") { keepUnresolved(diagram, result.warnings); }
      diagram.get("canvas").zoom("fit-viewport");
      if (mode === "heat") { return showHeat(diagram); }
      return null;
    }).then(function () {
      if (mode === "edit") {
        window.onethingModeler = diagram;
        window.onethingStudio = {
          rename: function (id, name) {
            var shape = diagram.get("elementRegistry").get(id);
            if (!shape) { throw new Error("no element " + id); }
            diagram.get("modeling").updateProperties(shape, { name: name });
          },
          save: function () { return save(diagram); }
        };
        document.getElementById("save-diagram").addEventListener("click", function () {
          save(diagram);
        });
      }
      el.dataset.ready = "true";
    }).catch(function () { fallback(); });
  }

  start();
})();
