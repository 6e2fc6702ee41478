// The interactive actor network: vis-network (vendored) draws /network.json in place of the
// SVG drawn on the server. Links carry their relation; a click or a tap on a link opens the
// passages it rests on in a panel; a click on a node opens its page. The filter form above
// applies in place (and the address, the list of links and the download links follow it).
// Without JavaScript, or if anything fails, the server's SVG and the plain form stay.
(function () {
  "use strict";
  var figure = document.getElementById("network");
  if (!figure || typeof window.vis === "undefined" || !window.vis.Network) return;
  var vis = window.vis;
  var form = document.getElementById("network-filters");
  var panel = document.getElementById("network-evidence");
  // The same colours as the server's drawing (server/diagram.py).
  var COLOURS = {
    State: "#4e79a7", InternationalOrganization: "#f28e2b", Organization: "#f28e2b",
    Initiative: "#59a14f", Policy: "#76b7b2", Person: "#e15759", Group: "#b07aa1",
    Region: "#9c755f", Event: "#edc948", Conflict: "#edc948"
  };
  var OTHER = "#bab0ac";
  var BACKGROUND = { color: "#b08a3e", highlight: "#8a5a00", hover: "#8a5a00" };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;   // text, never markup: labels and quotes may hold "<"
    return node;
  }

  function link(href, text, className) {
    var a = element("a", className, text);
    a.href = href;
    return a;
  }

  function relationKey(predicate) {
    return predicate.split("#").pop().split("/").pop();
  }

  // ------------------------------------------------------------------ the filter

  // What the form says: {relation: "" or a key, kinds: [keys] (empty: all), background: bool}.
  function readFilter() {
    var relation = form ? form.querySelector("select[name=relation]").value : "";
    var kinds = [];
    var boxes = form ? form.querySelectorAll("input[name=kind]") : [];
    Array.prototype.forEach.call(boxes, function (box) { if (box.checked) kinds.push(box.value); });
    if (kinds.length === boxes.length) kinds = [];   // every kind: the same as none chosen
    var background = form ? form.querySelector("input[type=checkbox][name=background]").checked : true;
    return { relation: relation, kinds: kinds, background: background };
  }

  // The query string the server reads for the same filter (as server/network.py writes it).
  function queryOf(filter) {
    var params = new URLSearchParams();
    if (filter.relation) params.append("relation", filter.relation);
    filter.kinds.slice().sort().forEach(function (k) { params.append("kind", k); });
    if (!filter.background) params.append("background", "0");
    return params.toString();
  }

  function keeps(filter, e, kindOf) {
    return (!filter.relation || relationKey(e.predicate) === filter.relation) &&
      (filter.background || !e.background) &&
      (!filter.kinds.length || (filter.kinds.indexOf(kindOf[e.source]) >= 0 &&
                                filter.kinds.indexOf(kindOf[e.target]) >= 0));
  }

  // ------------------------------------------------------------------ what a link rests on

  // What hovering a link shows: each relation with the first passage it rests on (paragraph,
  // kind, quote) or, for a background fact, that it is background and its source.
  function tooltip(links) {
    var box = element("div", "network-tooltip");
    links.forEach(function (l) {
      box.appendChild(element("p", "relation", l.relation));
      var ev = l.evidence[0];
      if (ev) {
        var where = element("p", "where", (ev.paragraph ? "Paragraph " + ev.paragraph : "The essay") +
                                          (ev.modality ? " · " + ev.modality : "") + ": ");
        where.appendChild(element("span", "quote", "\u201c" + ev.quote + "\u201d"));
        if (l.evidence.length > 1) {
          where.appendChild(document.createTextNode(" (and " + (l.evidence.length - 1) + " more)"));
        }
        box.appendChild(where);
      }
      if (l.background) {
        var names = l.background_facts.map(function (f) { return f.source_name; }).filter(Boolean);
        box.appendChild(element("p", "where background",
          "Background, not from the essay" + (names.length ? "; source: " + names.join(", ") : "")));
      }
    });
    box.appendChild(element("p", "where", "Click or tap for every passage."));
    return box;
  }

  // The panel a click or a tap on a link opens: every relation of the link with every
  // statement it rests on (paragraph, kind, quote, the statement's page) or its source.
  function showEvidence(links) {
    panel.textContent = "";
    var close = element("button", "close", "Close");
    close.type = "button";
    close.setAttribute("aria-label", "Close the passages");
    close.addEventListener("click", function () {
      panel.hidden = true;
      // On a phone the panel is below the drawing: go back up to it.
      if (narrow()) figure.scrollIntoView({ block: "nearest" });
    });
    panel.appendChild(close);
    links.forEach(function (l) {
      var section = element("section", l.background ? "background" : "");
      section.appendChild(element("h2", "relation", l.relation));
      l.evidence.forEach(function (ev) {
        var where = element("p", "where");
        if (ev.paragraph) where.appendChild(link(essayHref + "#p" + ev.paragraph, "Paragraph " + ev.paragraph));
        else where.appendChild(document.createTextNode("The essay"));
        if (ev.modality) where.appendChild(element("span", "modality", ev.modality));
        section.appendChild(where);
        var quote = element("blockquote", "quote", "\u201c" + ev.quote + "\u201d");
        section.appendChild(quote);
        var statement = element("p", "statement", "Statement: ");
        statement.appendChild(link(ev.href, ev.sentence || ev.statement));
        section.appendChild(statement);
      });
      if (l.background) {
        var note = element("p", "where background", "Background, not from the essay");
        l.background_facts.forEach(function (f) {
          note.appendChild(document.createTextNode(" · "));
          note.appendChild(link(f.href, f.label));
          if (f.source) {
            note.appendChild(document.createTextNode(" · source: "));
            var a = link(f.source, f.source_name || f.source);
            a.rel = "external";
            note.appendChild(a);
          }
        });
        section.appendChild(note);
      }
      panel.appendChild(section);
    });
    panel.hidden = false;
    if (narrow()) panel.scrollIntoView({ block: "nearest" });
  }

  // As network.css has it: below 48rem the panel is under the drawing, not over its corner.
  function narrow() {
    return window.matchMedia && window.matchMedia("(max-width: 48rem)").matches;
  }

  var essayHref = figure.getAttribute("data-essay") || "/essay";

  // ------------------------------------------------------------------ drawing

  function draw(data) {
    var kindOf = {};
    var counts = {};
    var kindNames = {};
    var nodes = data.nodes.map(function (n) {
      kindOf[n.id] = n.group;
      kindNames[n.group] = n.kind || n.group || "other";
      counts[n.group] = (counts[n.group] || 0) + 1;
      var colour = COLOURS[n.group] || OTHER;
      return {
        id: n.id, label: n.label, href: n.href,   // no "group": vis-network would colour by it
        title: n.label + " (" + kindNames[n.group] + ")",
        color: { background: colour, border: colour, highlight: { background: colour, border: "#1d1d1f" },
                 hover: { background: colour, border: "#1d1d1f" } }
      };
    });
    var nodeData = new vis.DataSet(nodes);
    var edgeData = new vis.DataSet([]);
    var linksOf = {};   // edge id -> the links it stands for
    var dashed = {};    // edge id -> true where every link it stands for is background

    // The links the filter keeps, parallel ones (several relations between the same two
    // nodes, in either direction) as one edge labelled with every relation.
    function edgesFor(filter) {
      var merged = {};
      var order = [];
      data.edges.forEach(function (e) {
        if (!keeps(filter, e, kindOf)) return;
        var key = [e.source, e.target].sort().join("\u0000");
        if (!merged[key]) {
          merged[key] = { from: e.source, to: e.target, links: [], labels: [], background: true,
                          forward: false, backward: false };
          order.push(key);
        }
        var m = merged[key];
        m.links.push(e);
        if (m.labels.indexOf(e.label) < 0) m.labels.push(e.label);
        m.background = m.background && e.background;
        // Arrows where a one-way relation goes that way.
        if (!e.symmetric && e.source === m.from) m.forward = true;
        if (!e.symmetric && e.source !== m.from) m.backward = true;
      });
      linksOf = {};
      dashed = {};
      return order.map(function (key, i) {
        var m = merged[key];
        var id = "e" + i;
        linksOf[id] = m.links;
        if (m.background) dashed[id] = true;
        var edge = {
          // Three relations or more between two nodes are counted, not spelled out: the panel lists them.
          id: id, from: m.from, to: m.to, title: tooltip(m.links),
          label: m.labels.length > 2 ? m.labels.length + " relations" : m.labels.join(" / "),
          dashes: m.background,
          arrows: { to: { enabled: m.forward, scaleFactor: 0.5 }, from: { enabled: m.backward, scaleFactor: 0.5 } }
        };
        if (m.background) edge.color = BACKGROUND;
        return edge;
      });
    }

    var canvas = element("div", "network-canvas");
    canvas.setAttribute("role", "img");
    figure.insertBefore(canvas, figure.firstChild);
    var filter = readFilter();
    edgeData.add(edgesFor(filter));
    var network = new vis.Network(canvas, { nodes: nodeData, edges: edgeData }, {
      layout: { randomSeed: 7, improvedLayout: true },
      nodes: { shape: "dot", size: 11, font: { size: 14, color: "#1d1d1f", face: "system-ui, sans-serif" },
               borderWidth: 1 },
      edges: { color: { color: "#9aa0a6", highlight: "#0b57d0", hover: "#0b57d0" }, width: 1.2,
               selectionWidth: 2, hoverWidth: 1.5,
               font: { size: 12, color: "#5f6368", face: "system-ui, sans-serif", strokeWidth: 3,
                       strokeColor: "#ffffff" },
               smooth: { enabled: true, type: "continuous" } },
      physics: { solver: "forceAtlas2Based", forceAtlas2Based: { gravitationalConstant: -70, springLength: 130 },
                 stabilization: { iterations: 400, fit: true } },
      interaction: { hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: false,
                     zoomView: true, dragView: true }
    });
    // "drawn" (for tests and anyone waiting) only once the nodes have stopped moving and the
    // view has been fitted to the links shown: what is on the screen stays where it is.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });   // drawn once; nodes stay where they are put
      var shown = nodes.filter(function (n) { return !nodeData.get(n.id).hidden; })
        .map(function (n) { return n.id; });
      network.fit({ nodes: shown.length ? shown : undefined, animation: false });
      figure.setAttribute("data-state", "drawn");
    });
    network.on("click", function (params) {
      if (params.nodes.length) {
        var node = nodeData.get(params.nodes[0]);
        if (node && node.href) window.location.href = node.href;
      } else if (params.edges.length && linksOf[params.edges[0]]) {
        showEvidence(linksOf[params.edges[0]]);
      }
    });
    network.on("hoverNode", function () { canvas.style.cursor = "pointer"; });
    network.on("blurNode", function () { canvas.style.cursor = ""; });
    network.on("hoverEdge", function () { canvas.style.cursor = "pointer"; });
    network.on("blurEdge", function () { canvas.style.cursor = ""; });

    // Apply a filter in place: the links it keeps, the nodes they join; then the address,
    // the list of links and the download links (the server's, for the same filter).
    var asked = 0;
    function apply(next, refresh) {
      filter = next;
      var edges = edgesFor(filter);
      var shown = {};
      edges.forEach(function (e) { shown[e.from] = true; shown[e.to] = true; });
      edgeData.clear();
      edgeData.add(edges);
      nodeData.update(nodes.map(function (n) { return { id: n.id, hidden: !shown[n.id] }; }));
      panel.hidden = true;
      var visible = Object.keys(shown);
      state(edges, visible.length);
      if (!refresh) return;
      if (visible.length) network.fit({ nodes: visible, animation: false });
      var query = queryOf(filter);
      var address = form.getAttribute("action") + (query ? "?" + query : "");
      if (window.history && window.history.replaceState) window.history.replaceState(null, "", address);
      var mine = ++asked;
      fetch(address, { headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          if (mine !== asked) return;   // a later filter has been asked for since
          var page = new DOMParser().parseFromString(html, "text/html");
          ["network-summary", "network-links"].forEach(function (id) {
            var old = document.getElementById(id);
            var fresh = page.getElementById(id);
            if (!old || !fresh) return;
            if (old.tagName === "DETAILS") fresh.open = old.open;
            old.replaceWith(document.importNode(fresh, true));
          });
          figure.setAttribute("data-list", query);
        })
        .catch(function (error) { if (window.console) console.error("the list of links did not follow", error); });
    }

    function state(edges, nodeCount) {
      figure.setAttribute("data-nodes", String(nodeCount));
      figure.setAttribute("data-edges", String(edges.length));
      figure.setAttribute("data-background-edges",
                          String(edges.filter(function (e) { return dashed[e.id]; }).length));
      canvas.setAttribute("aria-label", "Actor network: " + nodeCount + " nodes and " + edges.length +
                          " links (interactive; the list below has every link with its passages)");
    }

    if (form) {
      form.addEventListener("change", function () { apply(readFilter(), true); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        apply(readFilter(), true);
      });
      var submit = form.querySelector("button[type=submit]");
      if (submit) submit.hidden = true;   // every change applies at once
    }

    // The server's SVG gives way only now that the interactive drawing exists.
    var fallback = figure.querySelector(".network-static");
    if (fallback) fallback.hidden = true;

    var caption = element("figcaption");
    var legend = element("ul", "legend");
    Object.keys(counts).sort().forEach(function (group) {
      var li = element("li");
      var swatch = element("span", "swatch");
      swatch.style.background = COLOURS[group] || OTHER;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(kindNames[group] + " (" + counts[group] + ")"));
      legend.appendChild(li);
    });
    var dashes = element("li");
    dashes.appendChild(element("span", "dash"));
    dashes.appendChild(document.createTextNode("background fact, not from the essay"));
    legend.appendChild(dashes);
    caption.appendChild(legend);
    caption.appendChild(document.createTextNode(
      "Drag to move, scroll or pinch to zoom; click or tap a link for the passages it rests on, " +
      "a node for its page. "));
    var reset = element("button", "", "Fit to view");
    reset.type = "button";
    reset.addEventListener("click", function () { network.fit({ animation: false }); });
    caption.appendChild(reset);
    // Every node as a link, for keyboards and screen readers (the canvas is neither).
    var details = element("details");
    details.appendChild(element("summary", "", "All " + nodes.length + " nodes as a list"));
    var list = element("ul", "network-nodes");
    nodes.slice().sort(function (a, b) { return a.label.localeCompare(b.label); }).forEach(function (n) {
      var li = element("li");
      li.appendChild(link(n.href, n.label));
      li.appendChild(document.createTextNode(" (" + kindNames[kindOf[n.id]] + ")"));
      list.appendChild(li);
    });
    details.appendChild(list);
    caption.appendChild(details);
    figure.appendChild(caption);

    apply(filter, false);
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
