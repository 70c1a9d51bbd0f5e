// Draws the commune dashboard's charts with the vendored Chart.js. Each <canvas data-chart="id">
// reads its data from <script type="application/json" id="id"> (Django's json_script); the
// same figures are in the table next to it, so without JavaScript nothing is lost.
(function () {
  "use strict";

  function readData(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  function config(data) {
    var horizontal = Boolean(data.horizontal);
    var stacked = Boolean(data.stacked);
    var datasets = data.datasets.map(function (set) {
      var out = { label: set.label, data: set.data };
      if (set.colors) {
        out.backgroundColor = set.colors;
      } else if (set.color) {
        out.backgroundColor = set.color;
        out.borderColor = set.color;
      }
      if (data.type === "line") {
        out.fill = false;
        out.tension = 0.2;
        out.spanGaps = true;
      }
      return out;
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    };
    if (data.type !== "doughnut") {
      var valueAxis = { beginAtZero: true, stacked: stacked };
      if (data.percent) {
        valueAxis.max = 100;
        valueAxis.ticks = {
          callback: function (value) {
            return value + "%";
          },
        };
      } else {
        valueAxis.ticks = { precision: 0 };
      }
      var labelAxis = { stacked: stacked, ticks: { autoSkip: false } };
      options.indexAxis = horizontal ? "y" : "x";
      options.scales = horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis };
    }
    return { type: data.type, data: { labels: data.labels, datasets: datasets }, options: options };
  }

  function draw() {
    if (typeof window.Chart === "undefined") return; // the tables stand on their own
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var data = readData(canvas.getAttribute("data-chart"));
      if (!data || !data.datasets) return;
      var box = canvas.parentNode;
      if (box && canvas.getAttribute("height")) {
        box.style.position = "relative";
        box.style.height = canvas.getAttribute("height") + "px";
      }
      new window.Chart(canvas, config(data));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
