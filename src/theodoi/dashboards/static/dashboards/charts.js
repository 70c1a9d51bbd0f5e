// Draws the dashboards' charts. Each element with data-chart="id" reads its data from
// <script type="application/json" id="id"> (Django's json_script); the same figures are in the
// table next to it, so without JavaScript nothing is lost.
//
// Horizontal bar charts are drawn as HTML, not on a canvas: every name on its own line above
// its bar (on a phone) or beside it (wider screens), wrapped rather than clipped, and every
// value written as text. Lines and doughnuts use the vendored Chart.js. Widths and colours are
// set through the style object (CSSOM), which the Content-Security-Policy allows.
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

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function number(value) {
    if (value === null || value === undefined) return "—";
    return Number(value).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
  }

  function colourOf(set, index) {
    if (set.colors) return set.colors[index % set.colors.length];
    return set.color || "#6c757d";
  }

  function swatch(colour) {
    var node = el("span", "hbar-swatch");
    node.style.backgroundColor = colour;
    return node;
  }

  function barList(data) {
    var sets = data.datasets;
    var stacked = Boolean(data.stacked) && sets.length > 1;
    var unit = data.percent ? "%" : "";
    var totals = data.labels.map(function (_label, i) {
      return sets.reduce(function (sum, set) {
        return sum + (Number(set.data[i]) || 0);
      }, 0);
    });
    var max = 0;
    if (data.percent) {
      max = 100;
    } else if (stacked) {
      max = Math.max.apply(null, totals.concat([0]));
    } else {
      sets.forEach(function (set) {
        set.data.forEach(function (v) {
          max = Math.max(max, Number(v) || 0);
        });
      });
    }
    function width(value) {
      if (!max || !value) return "0%";
      return Math.max(0, Math.min(100, (100 * Number(value)) / max)) + "%";
    }

    var wrap = el("div", "hbar");
    // The legend names only what some bar shows.
    var shown = sets.filter(function (set) {
      return set.data.some(function (v) {
        return Number(v);
      });
    });
    if (sets.length > 1 && shown.length) {
      var legend = el("ul", "hbar-legend");
      shown.forEach(function (set) {
        var item = el("li");
        item.appendChild(swatch(colourOf(set, 0)));
        item.appendChild(document.createTextNode(set.label));
        legend.appendChild(item);
      });
      wrap.appendChild(legend);
    }
    var list = el("ol", "hbar-chart");
    data.labels.forEach(function (label, i) {
      var item = el("li", "hbar-item");
      var head = el("div", "hbar-head");
      head.appendChild(el("span", "hbar-label", label));
      if (stacked) head.appendChild(el("span", "hbar-total", number(totals[i]) + unit));
      item.appendChild(head);
      var body = el("div", "hbar-body");
      if (stacked) {
        var track = el("div", "hbar-track");
        var values = el("div", "hbar-values");
        sets.forEach(function (set) {
          var value = Number(set.data[i]) || 0;
          if (!value) return;
          var seg = el("span", "hbar-seg");
          seg.style.width = width(value);
          seg.style.backgroundColor = colourOf(set, i);
          seg.title = set.label + ": " + number(value);
          track.appendChild(seg);
          var text = el("span", "hbar-value");
          text.title = set.label;
          text.appendChild(swatch(colourOf(set, i)));
          text.appendChild(document.createTextNode(number(value) + unit));
          values.appendChild(text);
        });
        body.appendChild(track);
        body.appendChild(values);
      } else {
        sets.forEach(function (set) {
          var row = el("div", "hbar-row");
          var bar = el("div", "hbar-track");
          var seg = el("span", "hbar-seg");
          seg.style.width = width(set.data[i]);
          seg.style.backgroundColor = colourOf(set, i);
          bar.appendChild(seg);
          row.appendChild(bar);
          var value = set.data[i];
          row.appendChild(
            el("span", "hbar-num", value === null || value === undefined ? "—" : number(value) + unit)
          );
          row.title = set.label;
          body.appendChild(row);
        });
      }
      item.appendChild(body);
      list.appendChild(item);
    });
    wrap.appendChild(list);
    return wrap;
  }

  function config(data) {
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
      plugins: {
        legend: { display: data.legend !== false, position: "bottom", labels: { boxWidth: 12 } },
      },
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
      // Period names stay level; on a narrow screen every other one is left out.
      options.scales = {
        x: { stacked: stacked, ticks: { autoSkip: true, maxRotation: 0 } },
        y: valueAxis,
      };
    }
    return { type: data.type, data: { labels: data.labels, datasets: datasets }, options: options };
  }

  function draw(root) {
    var nodes = (root || document).querySelectorAll("[data-chart]:not([data-drawn])");
    Array.prototype.forEach.call(nodes, function (node) {
      var data = readData(node.getAttribute("data-chart"));
      if (!data || !data.datasets) return;
      if (data.type === "bar" && data.horizontal) {
        node.setAttribute("data-drawn", "html");
        while (node.firstChild) node.removeChild(node.firstChild);
        node.appendChild(barList(data));
        return;
      }
      if (typeof window.Chart === "undefined" || node.tagName !== "CANVAS") return;
      node.setAttribute("data-drawn", "canvas");
      var box = node.parentNode;
      if (box && node.getAttribute("height")) {
        box.style.position = "relative";
        box.style.height = node.getAttribute("height") + "px";
      }
      new window.Chart(node, config(data));
    });
  }

  // A part of the page replaced by HTMX (the province ranking's next page) brings its chart.
  document.addEventListener("htmx:afterSettle", function () {
    draw(document); // only what is not drawn yet
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      draw(document);
    });
  } else {
    draw(document);
  }
})();
