"""Draw small graphs as SVG on the server: an entity's neighbourhood, the actor network."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr


@dataclass
class Node:
    """A node to draw: its key, label, link and group (for colour)."""

    key: str
    label: str
    href: str
    group: str = ""
    x: float = 0.0
    y: float = 0.0


@dataclass
class Edge:
    """A link to draw: its ends (node keys), its relation, its tooltip, and whether it is background."""

    source: str
    target: str
    label: str
    title: str = ""  #: what hovering the link says (its relation and evidence); the label if empty
    background: bool = False  #: a background fact, not from the essay: drawn dashed


COLOURS = {"State": "#4e79a7", "InternationalOrganization": "#f28e2b", "Organization": "#f28e2b",
           "Initiative": "#59a14f", "Policy": "#76b7b2", "Person": "#e15759", "Group": "#b07aa1",
           "Region": "#9c755f", "Event": "#edc948", "Conflict": "#edc948", "": "#bab0ac"}


def layout(nodes: list, edges: list, *, width: float, height: float, seed: int = 7,
           iterations: int = 120, centre: str | None = None, gravity: float = 2.5) -> None:
    """Place nodes with a small deterministic force-directed layout (Fruchterman–Reingold).

    gravity pulls every node towards the middle, in proportion to its distance from it.
    """
    rng = random.Random(seed)
    index = {n.key: n for n in nodes}
    for n in nodes:
        n.x, n.y = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
    if centre in index:
        index[centre].x, index[centre].y = width / 2, height / 2
    k = math.sqrt(width * height / max(len(nodes), 1)) * 0.75
    temperature = width / 10
    for _ in range(iterations):
        moves = {n.key: [0.0, 0.0] for n in nodes}
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                dx, dy = a.x - b.x, a.y - b.y
                distance = max(math.hypot(dx, dy), 0.01)
                force = k * k / distance
                moves[a.key][0] += dx / distance * force
                moves[a.key][1] += dy / distance * force
                moves[b.key][0] -= dx / distance * force
                moves[b.key][1] -= dy / distance * force
        for edge in edges:
            a, b = index[edge.source], index[edge.target]
            dx, dy = a.x - b.x, a.y - b.y
            distance = max(math.hypot(dx, dy), 0.01)
            force = distance * distance / k
            moves[a.key][0] -= dx / distance * force
            moves[a.key][1] -= dy / distance * force
            moves[b.key][0] += dx / distance * force
            moves[b.key][1] += dy / distance * force
        for n in nodes:  # gravity: keeps unlinked groups in view instead of on the border
            moves[n.key][0] += (width / 2 - n.x) * gravity
            moves[n.key][1] += (height / 2 - n.y) * gravity
        for n in nodes:
            if n.key == centre:
                continue
            dx, dy = moves[n.key]
            length = max(math.hypot(dx, dy), 0.01)
            n.x += dx / length * min(length, temperature)
            n.y += dy / length * min(length, temperature)
            n.x = min(width - 60, max(60, n.x))
            n.y = min(height - 20, max(20, n.y))
        temperature *= 0.97


def radial_layout(nodes: list, edges: list, *, width: float, height: float, centre: str) -> None:
    """Place the centre in the middle, its neighbours on a ring, theirs on an outer ring."""
    index = {n.key: n for n in nodes}
    neighbours = {n.key: [] for n in nodes}
    for edge in edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    rings, seen, frontier = [], {centre}, [centre]
    while frontier:
        following = []
        for key in frontier:
            for other in sorted(neighbours[key]):
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        if following:
            rings.append(following)
        frontier = following
    rings.append([n.key for n in nodes if n.key not in seen])
    rings = [r for r in rings if r]
    cx, cy = width / 2, height / 2
    index[centre].x, index[centre].y = cx, cy
    angle_of: dict = {}
    for depth, ring in enumerate(rings):
        # The first ring gets most of the room: it holds the entity's own links.
        share = 1.0 if len(rings) == 1 else 0.7 + 0.3 * depth / (len(rings) - 1)
        radius_x = (width / 2 - 90) * share
        radius_y = (height / 2 - 25) * share
        angles = [2 * math.pi * i / len(ring) + depth * 0.4 for i in range(len(ring))]
        if depth:  # an outer node lies towards the nodes it hangs from: fewer links cross
            ring, angles = _towards_parents(ring, neighbours, angle_of) or (ring, angles)
        for i, (key, angle) in enumerate(zip(ring, angles)):
            angle_of[key] = angle
            # A crowded ring alternates between radii, so that neighbours' labels do not meet.
            shrink = (1.0, 0.8, 0.6)[i % 3] if len(ring) > 20 else 0.75 if len(ring) > 12 and i % 2 else 1.0
            index[key].x = cx + radius_x * shrink * math.cos(angle)
            index[key].y = cy + radius_y * shrink * math.sin(angle)


def _towards_parents(ring: list, neighbours: dict, angle_of: dict):
    """Return (ring, angles) with each node at the mean bearing of its placed neighbours, spread
    at least a few degrees apart; None when some node has none (then the ring goes round evenly)."""
    bearings = {}
    for key in ring:
        placed = [angle_of[k] for k in neighbours[key] if k in angle_of]
        if not placed:
            return None
        bearings[key] = math.atan2(sum(map(math.sin, placed)), sum(map(math.cos, placed))) % (2 * math.pi)
    ordered = sorted(ring, key=lambda k: (bearings[k], k))
    gap = min(2 * math.pi / len(ring), 0.3)
    angles = []
    for key in ordered:
        angles.append(max(bearings[key], angles[-1] + gap) if angles else bearings[key])
    return ordered, angles


@dataclass
class Label:
    """A node's label as drawn: where its text starts (or ends), and the box it takes."""

    text: str
    x: float
    y: float  #: the baseline
    anchor: str  #: "start", "middle" or "end"
    box: tuple  #: (left, top, right, bottom)


#: Label sizes, in ems of the font: an upper bound of system-ui's advance widths, so that the
#: boxes reserved are never smaller than the text the browser draws.
NARROW, WIDE = set("ijlI.,:;'’|!()[] "), set("MWmw@%—")
ASCENT, DESCENT = 0.95, 0.3
#: The lengths a label is cut to (with "…") when it finds no room whole.
SHORTER = (30, 22, 16, 11)


def text_width(text: str, size: float) -> float:
    """Return a generous estimate of the width of text at a font size, in pixels."""
    ems = sum(0.32 if c in NARROW else 0.95 if c in WIDE else 0.72 if c.isupper() or c.isdigit()
              else 1.0 if ord(c) > 0x2E80 else 0.58 for c in text)
    return ems * size + 2


def place_labels(nodes: list, *, width: float, height: float, size: float = 11,
                 radius=lambda n: 6, centre: str | None = None) -> dict:
    """Return {node key: Label}: each label where it overlaps no other label, no node, and
    stays inside the view box.

    Each node tries, in turn, the sides away from the middle, then the others, then the same
    a line higher or lower; a label that finds no room is cut shorter (the node's <title>
    keeps its whole name) and tries again. The centre's label goes first, then the others in
    the order given. A label that finds no room at all is left out rather than drawn over another.
    """
    circles = [(n.x - radius(n) - 1, n.y - radius(n) - 1, n.x + radius(n) + 1, n.y + radius(n) + 1) for n in nodes]
    taken: list = []
    placed = {}
    order = sorted(nodes, key=lambda n: n.key != centre)  # stable: the centre, then as given
    cx = width / 2
    for n in order:
        r = radius(n)
        outward = ("end", "start") if n.x < cx and n.key != centre else ("start", "end")
        for most in SHORTER:
            text = _short(n.label, most)
            w, up, down = text_width(text, size), ASCENT * size, DESCENT * size
            candidates = []
            for dy in (0, -1, 1, -2, 2):
                for anchor in outward:
                    x = n.x + r + 3 if anchor == "start" else n.x - r - 3
                    candidates.append((anchor, x, n.y + up / 2 - 1 + dy * (up + down)))
                if dy == 0:
                    candidates.append(("middle", n.x, n.y - r - 3 - down))  # above
                    candidates.append(("middle", n.x, n.y + r + 3 + up))  # below
            for anchor, x, y in candidates:
                left = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
                box = (left, y - up, left + w, y + down)
                if box[0] < 1 or box[1] < 1 or box[2] > width - 1 or box[3] > height - 1:
                    continue
                if any(_overlap(box, other) for other in taken) or \
                        any(_overlap(box, c) for c in circles):
                    continue
                placed[n.key] = Label(text, x, y, anchor, box)
                taken.append(box)
                break
            if n.key in placed:
                break
    return placed


def place_on_edge(text: str, a: Node, b: Node, taken: list, *, width: float, height: float,
                  size: float = 9) -> Label | None:
    """Place a link's label centred on a point of the link, the middle first, where it overlaps
    nothing in taken (the box is then added to it); None where there is no room."""
    for most in (40, 28, 18):
        short = _short(text, most)
        w, up, down = text_width(short, size), ASCENT * size, DESCENT * size
        for t in (0.5, 0.4, 0.6, 0.3, 0.7):
            x, y = a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t + up / 2 - 1
            box = (x - w / 2, y - up, x + w / 2, y + down)
            if box[0] < 1 or box[1] < 1 or box[2] > width - 1 or box[3] > height - 1 or \
                    any(_overlap(box, other) for other in taken):
                continue
            taken.append(box)
            return Label(short, x, y, "middle", box)
    return None


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def merged(edges: list) -> list:
    """Return one edge per pair of nodes (either direction): its tooltips joined, background
    only if every relation it stands for is background."""
    pairs: dict = {}
    for edge in edges:
        key = tuple(sorted((edge.source, edge.target)))
        title = edge.title or edge.label
        if key not in pairs:
            pairs[key] = Edge(edge.source, edge.target, edge.label, title, edge.background)
        else:
            pair = pairs[key]
            if title not in pair.title.split("\n\n"):
                pair.title += "\n\n" + title
            pair.background = pair.background and edge.background
            if edge.label not in pair.label.split(" / "):
                pair.label += " / " + edge.label
    return list(pairs.values())


def render(nodes: list, edges: list, *, width: int = 720, height: int = 480, title: str = "",
           centre: str | None = None, edge_labels: bool = False) -> str:
    """Return an SVG document of the laid-out nodes and their links (nodes are <a> links).

    Each link has a <title> (its relations and evidence: the browser's tooltip); background
    links are dashed. With a centre the layout is radial (an entity's neighbourhood); without,
    force-directed.
    """
    edges = merged(edges)
    if centre is not None:
        radial_layout(nodes, edges, width=width, height=height, centre=centre)
    else:
        layout(nodes, edges, width=width, height=height)
    index = {n.key: n for n in nodes}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)} '
           'font-family="system-ui, sans-serif" font-size="11">', f"<title>{escape(title)}</title>",
           '<g class="edges" stroke="#9aa0a6" stroke-width="1.2">']
    for edge in edges:
        a, b = index[edge.source], index[edge.target]
        style = ' class="background" stroke-dasharray="5 4" stroke="#b08a3e"' if edge.background else ""
        # A wide transparent line under the visible one, so that the tooltip is easy to reach.
        out.append(f'<g{style}><title>{escape(edge.title or edge.label)}</title>'
                   f'<line x1="{a.x:.1f}" y1="{a.y:.1f}" x2="{b.x:.1f}" y2="{b.y:.1f}"/>'
                   f'<line x1="{a.x:.1f}" y1="{a.y:.1f}" x2="{b.x:.1f}" y2="{b.y:.1f}" '
                   'stroke="transparent" stroke-width="8" stroke-dasharray="none"/></g>')
    radius = lambda n: 9 if n.key == centre else 6  # noqa: E731
    labels = place_labels(nodes, width=width, height=height, radius=radius, centre=centre)
    if edge_labels:  # each link's relations near its middle, on a white halo, under the nodes
        out.append('</g><g class="edge-labels" font-size="9" fill="#5f6368" text-anchor="middle" '
                   'stroke="#fff" stroke-width="3" paint-order="stroke">')
        taken = [label.box for label in labels.values()] + [
            (n.x - radius(n) - 1, n.y - radius(n) - 1, n.x + radius(n) + 1, n.y + radius(n) + 1) for n in nodes]
        for edge in edges:
            spot = place_on_edge(edge.label, index[edge.source], index[edge.target], taken,
                                 width=width, height=height, size=9)
            if spot is not None:  # no room anywhere along the link: its tooltip still says it
                out.append(f'<text x="{spot.x:.1f}" y="{spot.y:.1f}">{escape(spot.text)}</text>')
    out.append('</g><g class="nodes" stroke="#fff" stroke-width="3" paint-order="stroke">')
    for n in nodes:
        colour = COLOURS.get(n.group, COLOURS[""])
        # Each label has a box of its own (place_labels); the node's <title> (its tooltip, on
        # the circle and the label) has its whole name where the label is cut.
        label = labels.get(n.key)
        text = "" if label is None else (
            f'<text x="{label.x:.1f}" y="{label.y:.1f}"'
            + ("" if label.anchor == "start" else f' text-anchor="{label.anchor}"')
            + f' fill="#1d1d1f">{escape(label.text)}</text>')
        out.append(f'<a href={quoteattr(n.href)} class="node"><title>{escape(n.label)}</title>'
                   f'<circle cx="{n.x:.1f}" cy="{n.y:.1f}" r="{radius(n)}" fill="{colour}" stroke-width="1"/>'
                   + text + '</a>')
    out.append("</g></svg>")
    return "\n".join(out)


def _short(label: str, most: int = 30) -> str:
    """Shorten a long label for the drawing (its <title> has it whole)."""
    return label if len(label) <= most else label[:most - 1].rstrip() + "…"
