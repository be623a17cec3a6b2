/* Draw every <canvas data-chart="ID"> from the JSON in <script id="ID">
   (the same rows as the table beneath it). Chart.js, vendored; no build step. */
(function () {
  "use strict";
  if (!window.Chart) { return; }
  Chart.defaults.font.family = '"Noto Sans CJK KR", "Nanum Gothic", system-ui, sans-serif';
  function draw(root) {
  root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
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
  }
  draw(document);
  // The dashboard's filters swap the results in (htmx). htmx first copies the
  // old canvas's style, width and height onto the new one of the same id (its
  // "settle" step): release the old charts before the swap, so no inline style
  // is copied (the CSP refuses it) and no stale size clears the new drawing,
  // and draw the new charts once the swap has settled.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    event.detail.target.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = Chart.getChart(canvas);
      if (chart) { chart.destroy(); }
      canvas.removeAttribute("style");
    });
  });
  document.body.addEventListener("htmx:afterSettle", function (event) { draw(event.detail.target); });
})();
