"""RDF compared modulo blank node labels: quads by RDFC-1.0 canonicalisation (pyoxigraph), SELECT
rows by a one-to-one matching of the labels."""

from collections import Counter

import pyoxigraph as ox


def canonical(quads) -> set:
    """Return quads (or triples) with their blank nodes relabelled by RDFC-1.0, as a set."""
    dataset = ox.Dataset([q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object)
                          for q in quads])
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def term_from_json(binding: dict | None):
    """Return the pyoxigraph term of a SPARQL JSON results binding (None if unbound)."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


def rows_from_json(answer: dict) -> tuple:
    """Return (variables, rows) of SPARQL JSON results, rows as tuples of pyoxigraph terms."""
    names = answer["head"]["vars"]
    return names, [tuple(term_from_json(b.get(n)) for n in names) for b in answer["results"]["bindings"]]


def rows_from_solutions(solutions) -> tuple:
    """Return (variables, rows) of pyoxigraph QuerySolutions."""
    names = [v.value for v in solutions.variables]
    return names, [tuple(row[n] for n in names) for row in solutions]


def _blanks(rows) -> list:
    return sorted({t.value for row in rows for t in row if isinstance(t, ox.BlankNode)})


def _shape(rows, label=None) -> Counter:
    """The rows with every blank node written _ (and the one labelled label written SELF)."""
    return Counter(tuple(("SELF" if t.value == label else "_") if isinstance(t, ox.BlankNode) else t
                         for t in row) for row in rows)


def same_modulo_blank_nodes(a: list, b: list) -> bool:
    """Tell whether two lists of rows are one multiset once the blank nodes of a are renamed."""
    if len(a) != len(b) or _shape(a) != _shape(b):
        return False
    left, right = _blanks(a), _blanks(b)
    if len(left) != len(right):
        return False
    candidates = {x: [y for y in right if _shape(a, x) == _shape(b, y)] for x in left}
    want = Counter(b)

    def rename(mapping):
        return Counter(tuple(ox.BlankNode(mapping[t.value]) if isinstance(t, ox.BlankNode) else t
                             for t in row) for row in a)

    def match(i, mapping, used):
        if i == len(left):
            return rename(mapping) == want
        for y in candidates[left[i]]:
            if y not in used:
                mapping[left[i]] = y
                if match(i + 1, mapping, used | {y}):
                    return True
        return False

    return match(0, {}, frozenset())
