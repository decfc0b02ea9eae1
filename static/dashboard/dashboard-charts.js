// The county dashboard's charts, drawn from the page's json_script (#dashboard-data). Every chart's
// figures are also in the table under it.
(function () {
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var green = "#198754";
  var componentColours = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1"];

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    config.options = Object.assign({
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { beginAtZero: true } }
    }, config.options || {});
    new Chart(canvas, config);
  }

  function titled(text, legend) {
    return { title: { display: true, text: text }, legend: { display: !!legend } };
  }

  var trend = data.trend;
  draw("trend-people-chart", {
    type: "line",
    data: { labels: trend.labels, datasets: [{ label: trend.titles.people, data: trend.people,
      borderColor: green, backgroundColor: green }] },
    options: { plugins: titled(trend.titles.people) }
  });
  draw("trend-payroll-chart", {
    type: "bar",
    data: { labels: trend.labels, datasets: [{ label: trend.titles.payroll, data: trend.payroll,
      backgroundColor: "#20c997" }] },
    options: { plugins: titled(trend.titles.payroll) }
  });
  draw("trend-paid-chart", {
    type: "bar",
    data: { labels: trend.labels, datasets: trend.paid.map(function (set, i) {
      return { label: set.label, data: set.data, backgroundColor: componentColours[i % 4] };
    }) },
    options: { plugins: titled(document.getElementById("trend-paid-chart").getAttribute("aria-label"), true),
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
  });
  draw("trend-placements-chart", {
    type: "bar",
    data: { labels: trend.labels, datasets: [{ label: trend.titles.placements, data: trend.placements,
      backgroundColor: "#0dcaf0" }] },
    options: { plugins: titled(trend.titles.placements) }
  });
  var townships = data.townships;
  draw("township-chart", {
    type: "bar",
    data: { labels: townships.labels, datasets: [{ label: townships.label, data: townships.data,
      backgroundColor: green }] },
    options: { indexAxis: "y", plugins: titled(townships.label),
      scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false, font: { size: 10 } } } } }
  });
  var industries = data.industries;
  draw("industry-chart", {
    type: "bar",
    data: { labels: industries.labels, datasets: [{ label: industries.label, data: industries.data,
      backgroundColor: industries.colours }] },
    options: { plugins: titled(industries.label) }
  });
})();
