// Charts of the survey results page (Chart.js from npm). Periods run right to left, like the text.
(function () {
  "use strict";
  var node = document.getElementById("survey-chart-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var font = { family: "Vazirmatn, Tahoma, sans-serif" };
  Chart.defaults.font.family = font.family;
  Chart.defaults.animation = false; // charts print as drawn

  function toPersian(value) {
    return String(value).replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  }
  var rtl = { rtl: true, textDirection: "rtl" };

  var trend = document.getElementById("trend-chart");
  if (trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: "رضایت (CSAT ٪)", data: data.csat, borderColor: "#0b5394", backgroundColor: "#0b5394", spanGaps: false },
          { label: "نیاز کاملاً برآورده (٪)", data: data.resolved, borderColor: "#2e7d32", backgroundColor: "#2e7d32", borderDash: [6, 4], spanGaps: false }
        ]
      },
      options: {
        maintainAspectRatio: false,
        layout: { padding: { left: 32 } },
        plugins: { legend: Object.assign({ position: "bottom" }, rtl), tooltip: rtl },
        scales: {
          x: { reverse: true },
          y: { min: 0, max: 100, position: "right", ticks: { callback: toPersian } }
        }
      }
    });
  }
  data.questions.forEach(function (q) {
    var canvas = document.getElementById("q-chart-" + q.id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: q.labels, datasets: [{ label: "٪", data: q.percents, backgroundColor: "#5b8fc7" }] },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: rtl },
        scales: { x: { reverse: true }, y: { min: 0, position: "right", ticks: { callback: toPersian } } }
      }
    });
  });
})();
