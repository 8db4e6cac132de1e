/* The charts of the nonconformity analysis, drawn from the figures the page carries as JSON
   (`json_script`): a file of its own, as the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var source = document.getElementById("nc-charts");
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  Object.keys(data).forEach(function (key) {
    var el = document.getElementById("chart-" + key);
    if (!el) return;
    new window.Chart(el, {
      type: key === "by_month" ? "line" : "bar",
      data: {
        labels: data[key].labels,
        datasets: [{label: el.dataset.label || "Nonconformities", data: data[key].values, backgroundColor: "#175cd3", borderColor: "#175cd3"}]
      },
      options: {
        plugins: {legend: {display: false}},
        scales: {y: {beginAtZero: true, ticks: {precision: 0}}},
        indexAxis: key === "by_clause" || key === "by_department" ? "y" : "x"
      }
    });
  });
})();
