/* The case diagram: load the BPMN XML and element states from the diagram API, draw them
   with the bpmn-js NavigatedViewer (global BpmnJS from /vendor/) and mark each element
   done / current with a CSS class (pending elements keep their plain look). */
(function () {
  "use strict";

  function showFallback(figure) {
    var note = figure.querySelector(".diagram-fallback");
    if (note) { note.hidden = false; }
  }

  // names to show instead of the file's (the page's language, lanes by role), when the page
  // gives them in <script type="application/json" id="CANVAS-ID-names">
  function renamed(xml, canvasEl) {
    var holder = document.getElementById(canvasEl.id + "-names");
    if (!holder || typeof window.DOMParser !== "function") { return xml; }
    try {
      var names = JSON.parse(holder.textContent || "{}");
      var doc = new window.DOMParser().parseFromString(xml, "application/xml");
      if (doc.getElementsByTagName("parsererror").length) { return xml; }
      Array.prototype.forEach.call(doc.querySelectorAll("[id][name]"), function (el) {
        var id = el.getAttribute("id");
        if (Object.prototype.hasOwnProperty.call(names, id)) { el.setAttribute("name", names[id]); }
      });
      return new window.XMLSerializer().serializeToString(doc);
    } catch (e) { return xml; }
  }

  // in an opened .diagram-fold the diagram takes the full width: the box grows as tall as
  // the drawing needs at that width (up to twice the window), lanes and labels readable
  function fillWidth(canvasEl, canvas) {
    if (!canvasEl.closest(".diagram-fold")) { return; }
    var inner = canvas.viewbox().inner;
    if (!inner || !inner.width) { return; }
    var wanted = Math.ceil(inner.height * canvasEl.clientWidth / inner.width) + 24;
    var height = Math.min(Math.max(wanted, canvasEl.clientHeight), 2 * window.innerHeight);
    if (height !== canvasEl.clientHeight) {
      canvasEl.style.height = height + "px";
      canvas.resized();
      canvas.zoom("fit-viewport");
    }
  }

  function draw(canvasEl) {
    var figure = canvasEl.closest("figure");
    if (typeof window.BpmnJS !== "function") { showFallback(figure); return; }
    fetch(canvasEl.dataset.diagramUrl, { credentials: "same-origin",
                                         headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("diagram " + response.status); }
        return response.json();
      })
      .then(function (body) {
        var viewer = new window.BpmnJS({ container: canvasEl });
        return viewer.importXML(renamed(body.bpmn, canvasEl)).then(function () {
          var canvas = viewer.get("canvas");
          var registry = viewer.get("elementRegistry");
          Object.keys(body.states).forEach(function (id) {
            var state = body.states[id];
            if (state !== "pending" && registry.get(id)) { canvas.addMarker(id, state); }
          });
          canvas.zoom("fit-viewport");
          fillWidth(canvasEl, canvas);
          canvasEl.dataset.ready = "true";
        });
      })
      .catch(function () { showFallback(figure); });
  }

  // a diagram in a closed <details> has no size yet: draw it when it is first opened
  document.querySelectorAll("[data-diagram-url]").forEach(function (canvasEl) {
    var fold = canvasEl.closest("details");
    if (!fold || fold.open) { draw(canvasEl); return; }
    fold.addEventListener("toggle", function first() {
      if (!fold.open) { return; }
      fold.removeEventListener("toggle", first);
      draw(canvasEl);
    });
  });
})();
