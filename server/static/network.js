// The interactive actor network: vis-network (vendored) draws /network.json in place of the
// SVG drawn on the server. Nodes can be dragged, the view zoomed and panned; a click on a node
// opens its page. Without JavaScript, or if anything fails, the server's SVG stays.
(function () {
  "use strict";
  var figure = document.getElementById("network");
  if (!figure || typeof window.vis === "undefined" || !window.vis.Network) return;
  var vis = window.vis;
  // The same colours as the server's drawing (server/diagram.py).
  var COLOURS = {
    State: "#4e79a7", InternationalOrganization: "#f28e2b", Organization: "#f28e2b",
    Initiative: "#59a14f", Policy: "#76b7b2", Person: "#e15759", Group: "#b07aa1",
    Region: "#9c755f", Event: "#edc948", Conflict: "#edc948"
  };
  var OTHER = "#bab0ac";
  var NAMES = {
    State: "state", InternationalOrganization: "international organisation",
    Organization: "organisation", Initiative: "initiative", Policy: "policy", Approach: "approach",
    Person: "person", Group: "group", Region: "region", Event: "event", Conflict: "conflict"
  };

  function groupName(group) { return NAMES[group] || (group ? group.toLowerCase() : "other"); }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;   // text, never markup: labels and quotes may hold "<"
    return node;
  }

  // What hovering a link shows: each relation with the first passage it rests on (paragraph,
  // modality, quote) or, for a background fact, that it is background and its source. The
  // list of all links below the drawing has every passage.
  function tooltip(links) {
    var box = element("div", "network-tooltip");
    links.forEach(function (link) {
      box.appendChild(element("p", "relation", link.relation));
      var ev = link.evidence[0];
      if (ev) {
        var where = element("p", "where", (ev.paragraph ? "Paragraph " + ev.paragraph : "The essay") +
                                          (ev.modality ? " · " + ev.modality : "") + ": ");
        where.appendChild(element("span", "quote", "\u201c" + ev.quote + "\u201d"));
        if (link.evidence.length > 1) {
          where.appendChild(document.createTextNode(" (and " + (link.evidence.length - 1) + " more)"));
        }
        box.appendChild(where);
      }
      if (link.background) {
        var names = link.background_facts.map(function (f) { return f.source_name; }).filter(Boolean);
        box.appendChild(element("p", "where background",
          "Background, not from the essay" + (names.length ? "; source: " + names.join(", ") : "")));
      }
    });
    return box;
  }

  function draw(data) {
    var counts = {};
    var nodes = data.nodes.map(function (n) {
      counts[n.group] = (counts[n.group] || 0) + 1;
      var colour = COLOURS[n.group] || OTHER;
      return {
        id: n.id, label: n.label, href: n.href, group: n.group || "other",
        title: n.label + " (" + groupName(n.group) + ")",
        color: { background: colour, border: colour, highlight: { background: colour, border: "#1d1d1f" },
                 hover: { background: colour, border: "#1d1d1f" } }
      };
    });
    // Parallel edges (several relations between the same two nodes, in either direction)
    // become one edge whose tooltip lists every relation with its evidence.
    var merged = {};
    var order = [];
    data.edges.forEach(function (e) {
      var key = [e.source, e.target].sort().join("\u0000");
      if (!merged[key]) {
        merged[key] = { from: e.source, to: e.target, links: [], background: true, arrows: false };
        order.push(key);
      }
      merged[key].links.push(e);
      merged[key].background = merged[key].background && e.background;
      // An arrow where some one-way relation goes from the first end to the second.
      if (!e.symmetric && e.source === merged[key].from) merged[key].arrows = true;
    });
    var edges = order.map(function (key, i) {
      var e = merged[key];
      var edge = {
        id: "e" + i, from: e.from, to: e.to, title: tooltip(e.links), dashes: e.background,
        arrows: { to: { enabled: e.arrows, scaleFactor: 0.4 } }
      };
      if (e.background) edge.color = { color: "#b08a3e", highlight: "#8a5a00", hover: "#8a5a00" };
      return edge;
    });

    var canvas = document.createElement("div");
    canvas.className = "network-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Actor network: " + nodes.length + " nodes and " +
                        edges.length + " links (interactive; the list below has every node)");
    figure.insertBefore(canvas, figure.firstChild);
    var network = new vis.Network(canvas, {
      nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges)
    }, {
      layout: { randomSeed: 7, improvedLayout: true },
      nodes: { shape: "dot", size: 11, font: { size: 14, color: "#1d1d1f", face: "system-ui, sans-serif" },
               borderWidth: 1 },
      edges: { color: { color: "#9aa0a6", highlight: "#0b57d0", hover: "#0b57d0" }, width: 1.2,
               smooth: { enabled: true, type: "continuous" } },
      physics: { solver: "forceAtlas2Based", forceAtlas2Based: { gravitationalConstant: -60, springLength: 110 },
                 stabilization: { iterations: 400, fit: true } },
      interaction: { hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: false,
                     zoomView: true, dragView: true }
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });   // drawn once; nodes stay where they are put
    });
    network.on("click", function (params) {
      if (params.nodes.length) {
        var node = network.body.data.nodes.get(params.nodes[0]);
        if (node && node.href) window.location.href = node.href;
      }
    });
    network.on("hoverNode", function () { canvas.style.cursor = "pointer"; });
    network.on("blurNode", function () { canvas.style.cursor = ""; });

    // The server's SVG gives way only now that the interactive drawing exists.
    var fallback = figure.querySelector(".network-static");
    if (fallback) fallback.hidden = true;

    var caption = document.createElement("figcaption");
    var legend = document.createElement("ul");
    legend.className = "legend";
    Object.keys(counts).sort().forEach(function (group) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = COLOURS[group] || OTHER;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(groupName(group) + " (" + counts[group] + ")"));
      legend.appendChild(li);
    });
    caption.appendChild(legend);
    caption.appendChild(document.createTextNode(
      "Drag to move, scroll or pinch to zoom, hover a link for its relations and the passages " +
      "they rest on; dashed links are background facts, not from the essay. "));
    var reset = document.createElement("button");
    reset.type = "button";
    reset.textContent = "Fit to view";
    reset.addEventListener("click", function () { network.fit({ animation: false }); });
    caption.appendChild(reset);
    // Every node as a link, for keyboards and screen readers (the canvas is neither).
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = "All " + nodes.length + " nodes as a list";
    details.appendChild(summary);
    var list = document.createElement("ul");
    list.className = "network-nodes";
    nodes.slice().sort(function (a, b) { return a.label.localeCompare(b.label); }).forEach(function (n) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = n.href;
      a.textContent = n.label;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" (" + groupName(n.group) + ")"));
      list.appendChild(li);
    });
    details.appendChild(list);
    caption.appendChild(details);
    figure.appendChild(caption);

    figure.setAttribute("data-nodes", String(nodes.length));
    figure.setAttribute("data-edges", String(edges.length));
    figure.setAttribute("data-state", "drawn");
    window.eurasiaNetwork = network;
  }

  fetch(figure.getAttribute("data-src"), { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error("network.json: HTTP " + response.status);
      return response.json();
    })
    .then(draw)
    .catch(function (error) {
      figure.setAttribute("data-state", "static");
      if (window.console) console.error("interactive network unavailable; the SVG stays", error);
    });
})();
