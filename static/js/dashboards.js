/* 红帆 dashboards: ECharts (vendored, static/vendor/echarts) over the figures the page carries as
   JSON; the big screen fetches its figures again every minute without reloading the page. */
(function () {
  "use strict";
  var RED = ["#b71c1c", "#e53935", "#ef9a9a", "#f6c343", "#1e88e5", "#43a047"];
  var charts = [];

  function make(id, option, theme) {
    var element = document.getElementById(id);
    if (!element || typeof echarts === "undefined") { return null; }
    var chart = echarts.getInstanceByDom(element) || echarts.init(element, theme || null);
    chart.setOption(option, true);
    if (charts.indexOf(chart) < 0) { charts.push(chart); }
    return chart;
  }

  function series(map, type, extra) {
    return Object.keys(map).map(function (name, i) {
      return Object.assign({name: name, type: type, data: map[name], itemStyle: {color: RED[i % RED.length]}}, extra || {});
    });
  }

  function ratesOption(categories, rates, type, dark) {
    var text = dark ? "#f5f5f5" : "#333";
    var size = dark ? 18 : 12;  // the wall is read from across a room
    return {
      animation: !dark,  // the wall redraws every minute: no animation there
      backgroundColor: "transparent",
      textStyle: {color: text},
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; }},
      legend: {top: 0, textStyle: {color: text, fontSize: size}},
      grid: {top: 70, left: 50, right: 20, bottom: 40},
      xAxis: {type: "category", data: categories, axisLabel: {color: text, fontSize: size, interval: 0, rotate: categories.length > 6 ? 30 : 0}},
      yAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%", color: text, fontSize: size}},
      series: series(rates, type, type === "line" ? {connectNulls: true} : {})
    };
  }

  function starsOption(parks, stars, dark) {
    var text = dark ? "#f5f5f5" : "#333";
    var size = dark ? 18 : 12;
    return {
      animation: !dark,
      backgroundColor: "transparent",
      textStyle: {color: text},
      tooltip: {trigger: "axis"},
      legend: {top: 0, textStyle: {color: text, fontSize: size}},
      grid: {top: 40, left: 40, right: 20, bottom: 40},
      xAxis: {type: "category", data: parks, axisLabel: {color: text, fontSize: size, interval: 0, rotate: parks.length > 6 ? 30 : 0}},
      yAxis: {type: "value", minInterval: 1, axisLabel: {color: text, fontSize: size}},
      series: series(stars, "bar", {stack: "stars"})
    };
  }

  window.hongfanCharts = {
    county: function (data) {
      make("chart-rates", ratesOption(data.parks, data.rates, "bar"));
      make("chart-stars", starsOption(data.parks, data.stars));
    },
    trends: function (data) {
      make("chart-trends", ratesOption(data.quarters, data.rates, "line"));
    },
    screen: function (url, first) {
      function draw(data) {
        make("screen-rates", ratesOption(data.chart.parks, data.chart.rates, "bar", true), "dark");
        make("screen-stars", starsOption(data.chart.parks, data.chart.stars, true), "dark");
        var totals = document.getElementById("screen-totals");
        totals.replaceChildren.apply(totals, data.totals.map(function (pair) {
          var box = document.createElement("div");
          var value = document.createElement("strong");
          value.textContent = pair[1];
          var label = document.createElement("span");
          label.textContent = pair[0];
          box.append(value, label);
          return box;
        }));
        var grid = document.getElementById("screen-parks");
        grid.replaceChildren.apply(grid, data.parks.map(function (park) {
          var card = document.createElement("div");
          card.className = "park" + (park.overdue ? " alert" : "");
          var name = document.createElement("h3");
          name.textContent = park.name;
          var lines = document.createElement("p");
          lines.textContent = "企业 " + park.enterprises + " · 支部 " + park.branches + " · 党员 " + park.members;
          var rates = document.createElement("p");
          rates.textContent = "覆盖率 " + (park.org_rate === null ? "—" : park.org_rate + "%") +
            " · 三会一课 " + (park.compliance_rate === null ? "—" : park.compliance_rate + "%") +
            (park.overdue ? " · 督办 " + park.overdue : "");
          card.append(name, lines, rates);
          return card;
        }));
        document.getElementById("screen-updated").textContent = data.period + " · " + data.updated + " 更新";
      }
      draw(first);
      setInterval(function () {
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) { if (data) { draw(data); } })
          .catch(function () { /* the wall keeps the last figures until the network is back */ });
      }, 60000);
    }
  };

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  document.addEventListener("click", function (event) {
    if (event.target.closest(".print-page")) { window.print(); }
  });
})();
