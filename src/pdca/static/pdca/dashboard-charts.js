/* The dashboard's trend charts, drawn from the figures the page carries as JSON (`json_script`):
   a file of its own, as the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.Chart) return;
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (el) {
      var spec = charts[el.dataset.chart];
      if (!spec) return;
      var percent = spec.unit === "%";
      new window.Chart(el, {
        type: spec.kind,
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (s) {
            return {label: s.label, data: s.values, backgroundColor: s.colour, borderColor: s.colour,
                    spanGaps: true, tension: 0.25, pointRadius: 2};
          })
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: {legend: {display: spec.series.length > 1, position: "bottom"}},
          scales: {y: percent ? {min: 0, max: 100, ticks: {callback: function (v) { return v + " %"; }}}
                              : {beginAtZero: true, ticks: {precision: 0}}}
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
