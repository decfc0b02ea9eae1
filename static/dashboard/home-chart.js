// The home page's chart: subsidies paid by year (data from the page's json_script).
(function () {
  var canvas = document.getElementById("paid-by-year-chart");
  var source = document.getElementById("paid-by-year-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  data.datasets.forEach(function (set) { set.backgroundColor = "#198754"; });
  new Chart(canvas, {
    type: "bar",
    data: data,
    options: {
      responsive: true, maintainAspectRatio: false,
      scales: { y: { beginAtZero: true } },
      plugins: { legend: { display: false } }
    }
  });
})();
