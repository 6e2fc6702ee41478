// Autocomplete for the search box: asks this service's /api/search, nothing else.
(function () {
  var input = document.getElementById("q");
  if (!input) return;
  var list = document.createElement("ul");
  list.id = "suggestions";
  list.hidden = true;
  input.parentNode.appendChild(list);
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (!q) { list.hidden = true; return; }
      fetch("/api/search?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (data) {
        list.textContent = "";
        data.results.slice(0, 8).forEach(function (hit) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = hit.href;
          a.textContent = hit.label + (hit.matched !== hit.label ? " (" + hit.matched + ")" : "");
          li.appendChild(a);
          list.appendChild(li);
        });
        list.hidden = data.results.length === 0;
      });
    }, 150);
  });
})();
