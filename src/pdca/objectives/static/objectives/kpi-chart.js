/* A KPI's trend against its target and red threshold, drawn from the JSON the page carries
   (`json_script`): a file of its own, as the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var source = document.getElementById("kpi-chart-data");
  var el = document.getElementById("kpi-chart");
  if (!source || !el || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var colours = {green: "#1f7a3d", amber: "#9a6700", red: "#b42318"};
  var flat = function (value) { return data.labels.map(function () { return value; }); };
  new window.Chart(el, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        {label: data.labels_text.value, data: data.values, borderColor: "#175cd3",
         pointBackgroundColor: data.ratings.map(function (r) { return colours[r] || "#175cd3"; }),
         pointRadius: 4, tension: 0.1},
        {label: data.labels_text.target, data: flat(data.target), borderColor: "#1f7a3d",
         borderDash: [6, 4], pointRadius: 0},
        {label: data.labels_text.red, data: flat(data.red), borderColor: "#b42318",
         borderDash: [2, 3], pointRadius: 0}
      ]
    },
    options: {animation: false, interaction: {mode: "index", intersect: false}}
  });
})();
