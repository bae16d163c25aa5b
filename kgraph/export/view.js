/* kgraph HTML view: draws the JSON in #kg-data (kgraph/export/html.py, view_data) with
 * vis-network, and wires the legend/filters, search, community filter and detail panel.
 *
 * Every string from the graph reaches the page through textContent or as canvas text,
 * never as HTML: no innerHTML, and no vis-network `title` (which it renders as HTML).
 * For tests and scripts: window.kgraph = {network, nodes, edges, view, data, search,
 * select, visibleNodeIds, drawnNodeCount}, and <body data-ready="1"> once it has settled.
 */
(function () {
  "use strict";

  var MIN_SCALE = 0.8;       // below this zoom labels are unreadable: start no further out
  var MAX_RESULTS = 12;
  var EDGE_COLOURS = {mentions: "rgba(140,150,160,0.35)", related: "rgba(70,110,170,0.35)",
                      cooccurs: "rgba(205,140,60,0.35)"};
  var EDGE_NAMES = {mentions: "paper names entity", related: "related papers", cooccurs: "entities named together"};
  var FADED = {background: "#eceef1", border: "#dadde2"};

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  var types = new Map(data.types.map(function (t) { return [t.type, t]; }));
  var hiddenTypes = new Set();
  var community = null;       // community id shown alone, or null for all
  var selected = null;
  var faded = new Set();

  var adjacency = new Map(data.nodes.map(function (n) { return [n.id, []]; }));
  var edgeItems = data.edges.map(function (e, i) {
    var from = data.nodes[e[0]].id, to = data.nodes[e[1]].id, kind = data.edge_kinds[e[2]];
    adjacency.get(from).push(to);
    adjacency.get(to).push(from);
    return {id: i, from: from, to: to, width: e[3], kind: kind,
            color: {color: EDGE_COLOURS[kind] || EDGE_COLOURS.mentions, highlight: "#1d2329", hover: "#56606b"}};
  });

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props[key];
      else if (key === "class") node.className = props[key];
      else if (key === "style") Object.assign(node.style, props[key]);
      else if (key.slice(0, 5) === "data-") node.setAttribute(key, props[key]);
      else node[key] = props[key];
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function colourOf(type) { return (types.get(type) || {}).color || "#555555"; }
  function typeLabel(type) { return (types.get(type) || {}).label || type; }
  function fontSize(size) { return Math.round(13 + (size - 10) / 4); }

  function nodeStyle(n, dim) {
    var colour = colourOf(n.type);
    return {
      id: n.id,
      color: dim ? FADED : {background: colour, border: "#3d454d",
                            highlight: {background: colour, border: "#1d2329"},
                            hover: {background: colour, border: "#1d2329"}},
      font: {size: n.type === "PAPER" ? 13 : fontSize(n.size), color: dim ? "#b3b9c0" : "#1d2329"}
    };
  }

  function visNode(n) {
    var item = nodeStyle(n, false);
    item.label = n.short;
    item.x = n.x;
    item.y = n.y;
    item.size = n.size;
    item.shape = n.type === "PAPER" ? "square" : "dot";
    return item;
  }

  function isShown(n) {
    return !hiddenTypes.has(n.type) && (community === null || n.community === community);
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(edgeItems);
  var view = new vis.DataView(nodes, {filter: function (item) { return isShown(byId.get(item.id)); }});
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: view, edges: edges}, data.options);

  // -- settle, then stop ----------------------------------------------------------------
  var ready = false;
  function settle() {
    if (ready) return;
    ready = true;
    network.setOptions({physics: {enabled: false}});
    network.fit({animation: false});
    if (network.getScale() < MIN_SCALE) {
      var at = data.focus && byId.has(data.focus) ? network.getPositions([data.focus])[data.focus] : {x: 0, y: 0};
      network.moveTo({position: at, scale: MIN_SCALE, animation: false});
    }
    network.once("afterDrawing", function () { document.body.setAttribute("data-ready", "1"); });
    network.redraw();
  }
  if (data.options.physics.enabled) network.once("stabilizationIterationsDone", settle);
  else network.once("afterDrawing", settle);

  // -- header: title, counts, notice ---------------------------------------------------
  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }
  document.getElementById("kg-stats").textContent =
    plural(data.counts.papers, "paper") + " \u00b7 " + plural(data.counts.entities, "entity").replace("entitys", "entities") +
    " \u00b7 " + (data.shown < data.total ? "showing " + data.shown.toLocaleString("en") + " of " + plural(data.total, "node")
                                          : plural(data.shown_edges, "link"));
  if (data.notice) {
    var notice = document.getElementById("kg-notice");
    data.notice.split("`").forEach(function (part, i) {
      notice.appendChild(i % 2 ? el("code", {text: part}) : document.createTextNode(part));
    });
    notice.hidden = false;
  }

  // -- legend and type filters ------------------------------------------------------------
  var filters = document.getElementById("kg-filters");
  data.types.forEach(function (t) {
    var box = el("input", {type: "checkbox", checked: true, "data-type": t.type});
    box.addEventListener("change", function () {
      if (box.checked) hiddenTypes.delete(t.type); else hiddenTypes.add(t.type);
      refresh();
    });
    filters.appendChild(el("label", {}, [
      box,
      el("span", {class: "kg-swatch" + (t.type === "PAPER" ? " kg-square" : ""), style: {background: t.color}}),
      el("span", {text: t.label}),
      el("span", {class: "kg-count", text: t.shown.toLocaleString("en")})
    ]));
  });
  var edgeLegend = document.getElementById("kg-edge-legend");
  var kindsPresent = new Set(edgeItems.map(function (e) { return e.kind; }));
  data.edge_kinds.forEach(function (kind) {
    if (!kindsPresent.has(kind)) return;
    edgeLegend.appendChild(el("li", {}, [
      el("span", {class: "kg-line", style: {borderColor: EDGE_COLOURS[kind].replace("0.35)", "0.9)")}}),
      el("span", {text: EDGE_NAMES[kind] || kind})
    ]));
  });

  // -- community filter ----------------------------------------------------------------------
  var select = document.getElementById("kg-community");
  var withCommunity = new Set(data.nodes.map(function (n) { return n.community; }));
  var communities = data.communities.filter(function (c) { return withCommunity.has(c.id); });
  if (communities.length > 1) {
    communities.forEach(function (c) {
      select.appendChild(el("option", {value: String(c.id),
                                       text: c.label + " (" + plural(c.size, "paper") + ")"}));
    });
    document.getElementById("kg-community-box").hidden = false;
    select.addEventListener("change", function () {
      community = select.value === "" ? null : Number(select.value);
      refresh();
      network.fit({nodes: view.getIds(), animation: {duration: 300, easingFunction: "easeInOutQuad"}});
    });
  }

  function refresh() {
    view.refresh();
    if (selected !== null && !isShown(byId.get(selected))) clearSelection();
    else if (selected !== null) highlight(selected);
  }

  function reveal(n) {
    if (hiddenTypes.has(n.type)) {
      hiddenTypes.delete(n.type);
      filters.querySelectorAll("input[data-type]").forEach(function (box) {
        if (box.getAttribute("data-type") === n.type) box.checked = true;
      });
    }
    if (community !== null && n.community !== community) {
      community = null;
      select.value = "";
    }
    view.refresh();
  }

  // -- selection: highlight the neighbourhood, show the panel --------------------------------
  function highlight(id) {
    var keep = new Set(adjacency.get(id));
    keep.add(id);
    var next = new Set(view.getIds().filter(function (other) { return !keep.has(other); }));
    var updates = [];
    faded.forEach(function (other) { if (!next.has(other)) updates.push(nodeStyle(byId.get(other), false)); });
    next.forEach(function (other) { if (!faded.has(other)) updates.push(nodeStyle(byId.get(other), true)); });
    faded = next;
    if (updates.length) nodes.update(updates);
  }

  function clearSelection() {
    selected = null;
    network.unselectAll();
    var updates = [];
    faded.forEach(function (other) { updates.push(nodeStyle(byId.get(other), false)); });
    faded = new Set();
    if (updates.length) nodes.update(updates);
    document.getElementById("kg-panel").hidden = true;
  }

  function selectNode(id, focus) {
    var n = byId.get(id);
    if (!n) return false;
    if (!isShown(n)) reveal(n);
    selected = id;
    network.selectNodes([id]);
    highlight(id);
    showPanel(n);
    if (focus) {
      network.focus(id, {scale: Math.max(network.getScale(), 1.0),
                         animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    }
    return true;
  }

  network.on("click", function (params) {
    if (params.nodes.length) selectNode(params.nodes[0], false);
    else if (!params.edges.length) clearSelection();
  });

  function linkTo(id, text, type) {
    var badge = el("span", {class: "kg-badge", text: typeLabel(type), style: {background: colourOf(type)}});
    if (!byId.has(id)) return el("li", {}, [badge, el("span", {class: "kg-off", text: text})]);
    var button = el("button", {type: "button", class: "kg-link", text: text});
    button.addEventListener("click", function () { selectNode(id, true); });
    return el("li", {}, [badge, button]);
  }

  function more(shown, total, word) {
    return total > shown ? el("p", {class: "kg-more", text: "and " + (total - shown).toLocaleString("en") + " more " + word}) : null;
  }

  function showPanel(n) {
    var body = document.getElementById("kg-panel-body");
    body.textContent = "";
    var links = n.links || [];
    var parts = [
      el("span", {class: "kg-badge", text: typeLabel(n.type), style: {background: colourOf(n.type)}}),
      el("h2", {text: n.label})
    ];
    if (n.type === "PAPER") {
      var meta = [n.date, n.authors && n.authors.join(", ") + (n.authors_total > n.authors.length ? ", et al." : "")];
      parts.push(el("p", {class: "kg-meta", text: meta.filter(Boolean).join(" \u00b7 ")}));
      if (n.url && /^https?:\/\//i.test(n.url)) {
        parts.push(el("p", {}, [el("a", {href: n.url, text: n.url, target: "_blank", rel: "noopener noreferrer"})]));
      }
      if (n.abstract) parts.push(el("p", {class: "kg-abstract", text: n.abstract}));
      parts.push(el("h3", {text: "Entities (" + (n.links_total || 0) + ")"}));
    } else {
      var seen = n.first_seen && n.last_seen && n.first_seen !== n.last_seen ? n.first_seen + " to " + n.last_seen : n.first_seen;
      parts.push(el("p", {class: "kg-meta", text: plural(n.paper_count || 0, "paper") + (seen ? " \u00b7 " + seen : "")}));
      if (n.aliases) {
        parts.push(el("h3", {text: "Also called"}));
        parts.push(el("p", {class: "kg-aliases", text: n.aliases.join("; ")}));
        parts.push(more(n.aliases.length, n.aliases_total, "names"));
      }
      if (n.wikidata && /^Q\d+$/.test(n.wikidata)) {
        parts.push(el("p", {}, [el("a", {href: "https://www.wikidata.org/wiki/" + n.wikidata, text: "Wikidata " + n.wikidata,
                                         target: "_blank", rel: "noopener noreferrer"})]));
      }
      parts.push(el("h3", {text: "Papers (" + (n.links_total || 0) + ")"}));
    }
    parts.push(el("ul", {}, links.map(function (l) { return linkTo(l[0], l[1], l[2]); })));
    parts.push(more(links.length, n.links_total || 0, n.type === "PAPER" ? "entities" : "papers"));
    parts.forEach(function (p) { if (p) body.appendChild(p); });
    document.getElementById("kg-panel").hidden = false;
  }
  document.getElementById("kg-panel-close").addEventListener("click", clearSelection);

  // -- tooltip ---------------------------------------------------------------------------------
  var tip = document.getElementById("kg-tooltip");
  network.on("hoverNode", function (params) {
    var n = byId.get(params.node);
    if (!n) return;
    var extra = n.type === "PAPER" ? (n.date || "") : plural(n.paper_count || 0, "paper");
    tip.textContent = "";
    tip.appendChild(el("div", {text: n.label}));
    tip.appendChild(el("div", {class: "kg-tip-type", text: typeLabel(n.type) + (extra ? " \u00b7 " + extra : "")}));
    var box = container.getBoundingClientRect();
    tip.style.left = Math.min(box.left + params.pointer.DOM.x + 14, window.innerWidth - 370) + "px";
    tip.style.top = (box.top + params.pointer.DOM.y + 14) + "px";
    tip.hidden = false;
  });
  ["blurNode", "dragStart", "zoom", "click"].forEach(function (ev) { network.on(ev, function () { tip.hidden = true; }); });

  // -- search ------------------------------------------------------------------------------------
  function norm(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\p{L}\p{N}]+/gu, "");
  }
  var index = data.nodes.map(function (n) {
    var names = [n.label].concat(n.aliases || []);
    return {node: n, names: names, keys: names.map(norm), raw: names.map(function (s) { return s.toLowerCase(); })};
  });

  /** Nodes whose name or alias contains the query, best first: [{id, via}] (via: the alias matched). */
  function search(query) {
    var q = norm(query), raw = String(query).trim().toLowerCase();
    if (!q && !raw) return [];
    var found = [];
    index.forEach(function (entry) {
      var best = null;
      entry.names.forEach(function (name, i) {
        var key = q ? entry.keys[i] : entry.raw[i], want = q || raw;
        var at = key.indexOf(want);
        if (at < 0) return;
        var score = key === want ? 0 : at === 0 ? 1 : 2;
        if (best === null || score < best.score) best = {score: score, via: i ? name : null};
      });
      if (best) found.push({id: entry.node.id, node: entry.node, score: best.score, via: best.via});
    });
    found.sort(function (a, b) {
      return a.score - b.score || (a.node.type === "PAPER") - (b.node.type === "PAPER") ||
             b.node.size - a.node.size || (a.node.label < b.node.label ? -1 : a.node.label > b.node.label ? 1 : 0);
    });
    return found.map(function (f) { return {id: f.id, via: f.via}; });
  }

  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var matches = [], active = 0;

  function showResults() {
    results.textContent = "";
    matches = search(input.value).slice(0, MAX_RESULTS);
    active = 0;
    if (!input.value.trim()) { results.hidden = true; return; }
    if (!matches.length) results.appendChild(el("li", {class: "kg-empty", text: "No paper or entity matches"}));
    matches.forEach(function (m, i) {
      var n = byId.get(m.id);
      var item = el("li", {role: "option", "data-id": m.id}, [
        el("span", {class: "kg-swatch" + (n.type === "PAPER" ? " kg-square" : ""), style: {background: colourOf(n.type)}}),
        el("span", {class: "kg-match-name", text: n.label}),
        el("span", {class: "kg-match-why", text: m.via ? "also called " + m.via : typeLabel(n.type)})
      ]);
      item.setAttribute("aria-selected", i === active ? "true" : "false");
      item.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
      results.appendChild(item);
    });
    results.hidden = false;
  }

  function pick(i) {
    if (!matches[i]) return;
    results.hidden = true;
    selectNode(matches[i].id, true);
  }

  function moveActive(step) {
    if (!matches.length) return;
    active = (active + step + matches.length) % matches.length;
    Array.prototype.forEach.call(results.children, function (li, i) {
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      if (i === active) li.scrollIntoView({block: "nearest"});
    });
  }

  input.addEventListener("input", showResults);
  input.addEventListener("focus", function () { if (input.value.trim()) showResults(); });
  input.addEventListener("blur", function () { results.hidden = true; });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { moveActive(1); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { moveActive(-1); ev.preventDefault(); }
    else if (ev.key === "Enter") { if (results.hidden) showResults(); pick(active); ev.preventDefault(); }
    else if (ev.key === "Escape") { results.hidden = true; }
  });

  window.kgraph = {
    network: network, nodes: nodes, edges: edges, view: view, data: data,
    search: search,
    select: function (id) { return selectNode(id, true); },
    visibleNodeIds: function () { return view.getIds(); },
    /** Nodes vis-network is drawing now (its body holds only the nodes the view lets through). */
    drawnNodeCount: function () { return network.body.nodeIndices.length; }
  };
})();
