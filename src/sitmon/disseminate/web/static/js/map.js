/* The China map: every provincial-level division coloured by the chosen figure; a suppressed province is
   hatched and says why (never drawn as 0), a province without enterprises and the three divisions that do
   not report are grey. A click opens the province page. The map file comes from /map/china.json (features
   named by GB/T 2260 code); data from <script id="map-data" type="application/json">. */
(function () {
  "use strict";
  var el = document.getElementById("china-map");
  var src = document.getElementById("map-data");
  if (!el || !src || !window.echarts) { return; }
  var d = JSON.parse(src.textContent);
  var COLORS = { suppressed: "#b9b2a6", none: "#e6e6e6", not_reporting: "#f3f3f3" };
  var byCode = {};
  d.rows.forEach(function (r) { byCode[r.code] = r; });
  var values = d.rows.filter(function (r) { return r.status === "value"; }).map(function (r) { return r.value; });
  var lo = Math.min.apply(null, values.concat([0])), hi = Math.max.apply(null, values.concat([1]));
  if (values.length) { lo = Math.min.apply(null, values); hi = Math.max.apply(null, values); if (lo === hi) { hi = lo + 1; } }
  function fmt(v) {
    var s = v.toLocaleString(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    return d.unit === "pct" ? s + "%" : s + " " + d.unit_name;
  }
  function label(r) {
    if (!r) { return ""; }
    if (r.status === "value") { return fmt(r.value); }
    if (r.status === "suppressed") { return "× " + d.labels.suppressed + "（" + (d.flags[r.flag] || r.flag) + "）"; }
    return d.labels[r.status];
  }
  var STOPS = [[224, 236, 247], [107, 159, 209], [31, 78, 140]];
  /* The colour of a value: its place between the smallest and largest value, through three stops. */
  function colour(v) {
    var t = Math.max(0, Math.min(1, (v - lo) / (hi - lo))) * (STOPS.length - 1);
    var i = Math.min(Math.floor(t), STOPS.length - 2), u = t - i;
    var c = STOPS[i].map(function (a, k) { return Math.round(a + (STOPS[i + 1][k] - a) * u); });
    return "rgb(" + c.join(",") + ")";
  }
  var data = d.rows.map(function (r) {
    var item = { name: r.code, value: r.status === "value" ? r.value : null,
                 itemStyle: { areaColor: r.status === "value" ? colour(r.value) : COLORS[r.status] } };
    if (r.status === "suppressed") {
      item.itemStyle.decal = { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4, color: "rgba(80,60,40,0.55)" };
    }
    return item;
  });
  var scale = document.getElementById("map-scale");
  if (scale && values.length) {
    scale.querySelector(".lo").textContent = fmt(lo);
    scale.querySelector(".hi").textContent = fmt(hi);
  }
  fetch(d.map_url, { credentials: "same-origin" }).then(function (res) { return res.json(); }).then(function (geo) {
    echarts.registerMap("china", geo);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("click", function (p) {
      var r = byCode[p.name];
      if (r && r.status !== "not_reporting") { window.location.href = "/province/" + r.code + "?period=" + encodeURIComponent(d.period); }
    });
    chart.on("finished", function () {
      if (!document.body.hasAttribute("data-map-ready")) {
        document.body.setAttribute("data-map-ready", "1");
        if (window.performance && performance.mark) { performance.mark("map-rendered"); }
      }
    });
    chart.setOption({
      animation: false,
      aria: { enabled: true, decal: { show: false } },
      tooltip: {
        trigger: "item",
        formatter: function (p) { var r = byCode[p.name]; return r ? r.name + "<br>" + label(r) : p.name; }
      },
      series: [{
        type: "map", map: "china", roam: false, zoom: 1.15, selectedMode: false, data: data,
        label: { show: false },
        emphasis: { label: { show: true, formatter: function (p) { var r = byCode[p.name]; return r ? r.name : ""; } },
                    itemStyle: { areaColor: "#f0a500" } }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    var centre = {};
    (geo.features || []).forEach(function (f) { var p = f.properties || {}; if (p.cp) { centre[p.name] = p.cp; } });
    /* The colour actually painted at a division's centre point (RGBA), read back from the canvas. */
    function painted(code) {
      if (!centre[code]) { return null; }
      var xy = chart.convertToPixel({ seriesIndex: 0 }, centre[code]);
      var canvas = el.querySelector("canvas"), ratio = canvas.width / canvas.clientWidth;
      var px = canvas.getContext("2d").getImageData(Math.round(xy[0] * ratio), Math.round(xy[1] * ratio), 1, 1).data;
      return [px[0], px[1], px[2], px[3]];
    }
    /* For tests and people who inspect the page: the fill each division was drawn with. */
    window.sitmonMap = {
      chart: chart,
      fills: function () {
        var series = chart.getModel().getSeriesByIndex(0), sd = series.getData(), out = {};
        for (var i = 0; i < sd.count(); i++) {
          var style = sd.getItemVisual(i, "style") || {};
          var name = sd.getName(i);
          out[name] = { area: sd.getItemModel(i).get(["itemStyle", "areaColor"]) || null,
                        decal: !!(style.decal || sd.getItemModel(i).get(["itemStyle", "decal"])),
                        status: byCode[name] ? byCode[name].status : null, painted: painted(name) };
        }
        return out;
      }
    };
  });
})();
