/* Plan trajectories: published values by year, the base and the target, and the projection's 80 % and 95 %
   intervals from the latest published year to the target year. */
(function () {
  "use strict";
  var src = document.getElementById("plan-data");
  if (!src || !window.echarts) { return; }
  var d = JSON.parse(src.textContent), L = d.labels;
  d.charts.forEach(function (c) {
    var el = document.getElementById("plan-chart-" + c.id);
    if (!el) { return; }
    var chart = echarts.init(el);
    function band(lo, hi) { return c.band[hi].map(function (v, i) { return v === null || c.band[lo][i] === null ? null : v - c.band[lo][i]; }); }
    chart.setOption({
      animation: false, aria: { enabled: true },
      tooltip: { trigger: "axis" }, legend: { data: [L.actual, L.goal, L.projection, L.band80, L.band95] },
      grid: { left: 70, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: c.years }, yAxis: { type: "value" },
      series: [
        { name: L.band95, type: "line", stack: "b95", data: c.band.lo95, lineStyle: { opacity: 0 }, symbol: "none", connectNulls: true },
        { name: L.band95, type: "line", stack: "b95", data: band("lo95", "hi95"), lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color: "rgba(194,85,45,0.12)" }, connectNulls: true },
        { name: L.band80, type: "line", stack: "b80", data: c.band.lo80, lineStyle: { opacity: 0 }, symbol: "none", connectNulls: true },
        { name: L.band80, type: "line", stack: "b80", data: band("lo80", "hi80"), lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color: "rgba(194,85,45,0.25)" }, connectNulls: true },
        { name: L.projection, type: "line", data: c.band.mid, lineStyle: { type: "dashed", color: "#c2552d" }, connectNulls: true },
        { name: L.actual, type: "line", data: c.actual, itemStyle: { color: "#1f4e8c" }, connectNulls: false },
        { name: L.goal, type: "line", data: c.goal, connectNulls: true, lineStyle: { type: "dotted", color: "#2d8c4e" }, itemStyle: { color: "#2d8c4e" } }
      ]
    });
  });
})();
