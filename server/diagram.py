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
    for depth, ring in enumerate(rings):
        # The first ring gets most of the room: it holds the entity's own links.
        share = 1.0 if len(rings) == 1 else 0.62 + 0.38 * depth / (len(rings) - 1)
        radius_x = (width / 2 - 90) * share
        radius_y = (height / 2 - 25) * share
        for i, key in enumerate(ring):
            angle = 2 * math.pi * i / len(ring) + depth * 0.4
            # A crowded ring alternates between two radii, so that neighbours' labels do not meet.
            shrink = (1.0, 0.78, 0.56)[i % 3] if len(ring) > 20 else 0.72 if len(ring) > 12 and i % 2 else 1.0
            index[key].x = cx + radius_x * shrink * math.cos(angle)
            index[key].y = cy + radius_y * shrink * math.sin(angle)


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
    return list(pairs.values())


def render(nodes: list, edges: list, *, width: int = 720, height: int = 480, title: str = "",
           centre: str | None = None) -> str:
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
    out.append('</g><g class="nodes">')
    for n in nodes:
        colour = COLOURS.get(n.group, COLOURS[""])
        radius = 9 if n.key == centre else 6
        out.append(f'<a href={quoteattr(n.href)} class="node"><circle cx="{n.x:.1f}" cy="{n.y:.1f}" '
                   f'r="{radius}" fill="{colour}"><title>{escape(n.label)}</title></circle>'
                   # Labels lie away from the middle (an entity's neighbourhood) or stay inside the box.
                   + (f'<text x="{n.x - 9:.1f}" y="{n.y + 4:.1f}" text-anchor="end" fill="#1d1d1f">'
                      if n.key != centre and (n.x < width / 2 if centre is not None else n.x > width * 0.62) else
                      f'<text x="{n.x + 9:.1f}" y="{n.y + 4:.1f}" fill="#1d1d1f">')
                   + f'{escape(_short(n.label))}</text></a>')
    out.append("</g></svg>")
    return "\n".join(out)


def _short(label: str, most: int = 30) -> str:
    """Shorten a long label for the drawing (its <title> has it whole)."""
    return label if len(label) <= most else label[:most - 1].rstrip() + "…"
