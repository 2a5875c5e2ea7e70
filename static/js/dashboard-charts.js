// The monitoring dashboard's charts (Chart.js from npm). Months run right to left, like the text.
(function () {
  "use strict";
  var node = document.getElementById("dash-chart-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  Chart.defaults.animation = false; // charts print as drawn
  var rtl = { rtl: true, textDirection: "rtl" };
  function persian(value) {
    return String(value).replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  }

  var trend = document.getElementById("trend-chart");
  if (trend) {
    new Chart(trend, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.legend.filed, data: data.filed, backgroundColor: "#5b8fc7" },
          { label: data.legend.answered, data: data.answered, backgroundColor: "#2e7d32" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: Object.assign({ position: "bottom" }, rtl), tooltip: rtl },
        scales: { x: { reverse: true }, y: { beginAtZero: true, position: "right", ticks: { callback: persian, precision: 0 } } }
      }
    });
  }
  var age = document.getElementById("age-chart");
  if (age) {
    new Chart(age, {
      type: "bar",
      data: { labels: data.age_labels, datasets: [{ label: data.legend.backlog, data: data.age_counts, backgroundColor: "#b0741d" }] },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: rtl },
        scales: { x: { reverse: true }, y: { beginAtZero: true, position: "right", ticks: { callback: persian, precision: 0 } } }
      }
    });
  }
}());
