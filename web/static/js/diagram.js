/* The case diagram: load the BPMN XML and element states from the diagram API, draw them
   with the bpmn-js NavigatedViewer (global BpmnJS from /vendor/) and mark each element
   done / current with a CSS class (pending elements keep their plain look). */
(function () {
  "use strict";

  function showFallback(figure) {
    var note = figure.querySelector(".diagram-fallback");
    if (note) { note.hidden = false; }
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
        return viewer.importXML(body.bpmn).then(function () {
          var canvas = viewer.get("canvas");
          var registry = viewer.get("elementRegistry");
          Object.keys(body.states).forEach(function (id) {
            var state = body.states[id];
            if (state !== "pending" && registry.get(id)) { canvas.addMarker(id, state); }
          });
          canvas.zoom("fit-viewport");
          canvasEl.dataset.ready = "true";
        });
      })
      .catch(function () { showFallback(figure); });
  }

  document.querySelectorAll("[data-diagram-url]").forEach(draw);
})();
