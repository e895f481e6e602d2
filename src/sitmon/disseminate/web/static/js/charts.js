/* The monthly trend chart (overview, province page): single-month values as bars, year-to-date comparable
   growth as a line. A suppressed value is a gap, never 0. Data: <script id="trend-data" type="application/json">. */
(function () {
  "use strict";
  var el = document.getElementById("trend-chart");
  var src = document.getElementById("trend-data");
  if (!el || !src || !window.echarts) { return; }
  var d = JSON.parse(src.textContent);
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.on("finished", function () { document.body.setAttribute("data-chart-ready", "1"); });
  function fmt(v, unit) { return v === null || v === undefined ? "—" : v.toLocaleString(undefined, { maximumFractionDigits: 1 }) + unit; }
  chart.setOption({
    aria: { enabled: true },
    animation: false,
    tooltip: {
      trigger: "axis",
      formatter: function (items) {
        var i = items[0].dataIndex;
        return d.labels[i] + "<br>" + d.month_name + ": " + (d.month_flags[i] ? d.suppressed : fmt(d.month[i], " " + d.unit)) +
          "<br>" + d.growth_name + ": " + (d.growth_flags[i] ? d.suppressed : fmt(d.growth[i], "%"));
      }
    },
    legend: { top: 0, data: [d.month_name, d.growth_name] },
    grid: { left: 60, right: 60, top: 50, bottom: 30 },
    xAxis: { type: "category", data: d.labels },
    yAxis: [{ type: "value", name: d.unit }, { type: "value", name: "%", splitLine: { show: false } }],
    series: [
      { name: d.month_name, type: "bar", data: d.month, itemStyle: { color: "#3b6ea8" } },
      { name: d.growth_name, type: "line", yAxisIndex: 1, data: d.growth, connectNulls: false, itemStyle: { color: "#c2552d" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
