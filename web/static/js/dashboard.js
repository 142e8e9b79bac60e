/* The dashboard's charts (global Chart from /vendor/chart.js): cases opened and closed per
   office and bundle, and average working days against the commitment. The numbers come from
   the page itself (#dashboard-data), so the tables and the charts always agree. Offices and
   bundles are labelled by name; counts sit on a whole-number axis. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart !== "function") { return; }
  var data = JSON.parse(source.textContent);
  var rows = data.tables.throughput;
  var names = data.names || { offices: {}, bundles: {} };
  var labels = rows.map(function (r) {
    return (names.offices[r.office] || r.office) + " · " + (names.bundles[r.bundle] || r.bundle);
  });

  function bar(id, sets, whole) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: sets },
      options: { responsive: true, animation: false,
                 scales: { y: { beginAtZero: true, ticks: whole ? { precision: 0 } : {} } } }
    });
    canvas.dataset.ready = "true";
  }

  bar("chart-throughput", [
    { label: data.labels.opened, data: rows.map(function (r) { return r.opened; }),
      backgroundColor: "#1565c0" },
    { label: data.labels.closed, data: rows.map(function (r) { return r.closed; }),
      backgroundColor: "#2e7d32" }
  ], true);
  bar("chart-days", [
    { label: data.labels.average,
      data: rows.map(function (r) { return r.average_working_days; }),
      backgroundColor: "#6a1b9a" },
    { label: data.labels.commitment,
      data: rows.map(function (r) { return r.commitment_days; }),
      backgroundColor: "#9e9e9e" }
  ], false);
})();
