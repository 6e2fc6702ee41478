// Autocomplete for the search box: asks this service's /api/search, nothing else.
(function () {
  var input = document.getElementById("q");
  if (!input) return;
  var list = document.createElement("ul");
  list.id = "suggestions";
  list.hidden = true;
  input.parentNode.appendChild(list);
  var timer = null;
  var latest = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (!q) { latest++; list.hidden = true; return; }
      var asked = ++latest;
      fetch("/api/search?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (data) {
        if (asked !== latest) return;  // an answer to an earlier keystroke, come late
        list.textContent = "";
        var seen = {};
        (data.results || []).forEach(function (hit) {
          // Another name it was found by (Шанхай...), not a statement's text.
          var named = (hit.matched_as === "name" || hit.matched_as === "also known as") && hit.matched !== hit.label;
          var text = hit.label + (named ? " (" + hit.matched + ")" : "");
          var detail = [hit.type, hit.paragraph ? "Paragraph " + hit.paragraph : ""].filter(Boolean).join(" · ");
          if (seen[hit.href] || seen[text + "\n" + detail]) return;  // each entry once
          seen[hit.href] = seen[text + "\n" + detail] = true;
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = hit.href;
          a.textContent = text;
          if (detail) {
            var small = document.createElement("small");
            small.textContent = detail;
            a.appendChild(small);
          }
          li.appendChild(a);
          list.appendChild(li);
        });
        if (data.more) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = data.more;
          a.className = "all";
          a.textContent = "All " + data.total + " results";
          li.appendChild(a);
          list.appendChild(li);
        }
        list.hidden = list.childNodes.length === 0;
      });
    }, 150);
  });
})();
