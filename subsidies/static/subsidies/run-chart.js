// The run page's chart: amounts by township and component (data from the page's json_script).
(function () {
  var canvas = document.getElementById("township-chart");
  var source = document.getElementById("township-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = ["#198754", "#0d6efd", "#fd7e14", "#6f42c1"];
  data.datasets.forEach(function (set, i) { set.backgroundColor = colours[i % colours.length]; });
  new Chart(canvas, {
    type: "bar",
    data: data,
    options: {
      indexAxis: "y", responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
