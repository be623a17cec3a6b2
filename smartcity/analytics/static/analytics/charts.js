/* Draw every <canvas data-chart="ID"> from the JSON in <script id="ID">
   (the same rows as the table beneath it). Chart.js, vendored; no build step. */
(function () {
  "use strict";
  if (!window.Chart) { return; }
  Chart.defaults.font.family = '"Noto Sans CJK KR", "Nanum Gothic", system-ui, sans-serif';
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var horizontal = !!spec.horizontal;
    var valueAxis = {
      stacked: !!spec.stacked, beginAtZero: true,
      max: spec.percent ? 100 : undefined,
      ticks: { precision: 0 }
    };
    var categoryAxis = { stacked: !!spec.stacked, ticks: { autoSkip: !horizontal } };
    if (horizontal) {
      canvas.parentElement.style.height = Math.max(240, spec.labels.length * 22) + "px";
    }
    var chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: { legend: { position: "bottom" } }
      }
    });
    canvas.dataset.drawn = String(chart.data.datasets.length);
  });
})();
