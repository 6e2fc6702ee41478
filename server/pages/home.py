"""What the essay argues, read from the data for the home page.

Its statements by kind, its recommendations (the ones it gives most reasons for), the actors
its statements are most often about, the relations between things it states most often, and
the relations it reports with their parties, figures and dates. Nothing here is written by
hand: a dataset with other statements gives another overview.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ...ontology import EKG, EKGID, PARA

#: How many of each the home page shows.
RECOMMENDATIONS = 5
ACTORS = 8
RELATIONS = 6


@dataclass
class Overview:
    """The essay's argument in a few lines, and where its statements are."""

    statements: int
    kinds: list  #: (modality, number of statements), most first
    recommendations: list  #: StatementViews of a few recommendations, in reading order
    recommendation_count: int
    actors: list  #: (actor, number of statements about it), most first
    relations: list  #: (predicate, number of statements, StatementView of the first), most first
    reported: list  #: (class, [Sentence]) the relations it reports, by class
    paragraphs: list  #: (number, paragraph IRI, number of statements)


def overview(d) -> Overview:
    """Read the overview out of the dataset (d: the app's Describer)."""
    g = d.all
    by_paragraph = d.paragraph_statements()
    statements = [s for nodes in by_paragraph.values() for s in nodes
                  if (s, RDF.type, EKG.BackgroundFact) not in g and (s, RDF.type, EKG.Proposition) not in g]
    position = {s: i for i, s in enumerate(statements)}
    kinds = Counter(m for s in statements for m in g.objects(s, EKG.modality))
    recommendations = [s for s in statements if (s, EKG.modality, EKG.Recommendation) in g]
    # The recommendations it gives most reasons for (ekg:supports), shown in reading order.
    reasons = {s: len(set(g.subjects(EKG.supports, s))) for s in recommendations}
    few = sorted(sorted(recommendations, key=lambda s: (-reasons[s], position[s]))[:RECOMMENDATIONS],
                 key=position.get)
    return Overview(
        statements=len(statements),
        kinds=sorted(kinds.items(), key=lambda kv: (-kv[1], d.label(kv[0]), str(kv[0]))),
        recommendations=[d.statement(s) for s in few],
        recommendation_count=len(recommendations),
        actors=main_actors(d, statements),
        relations=main_relations(d, statements),
        reported=reported_relations(d),
        paragraphs=[(n, PARA[f"p{n}"], len(nodes)) for n, nodes in by_paragraph.items()],
    )


def main_actors(d, statements: list) -> list:
    """Return (actor, statements about it) of the actors most statements are about.

    An actor counts for a statement that names it in any role (or in a proposition the
    statement embeds), but not as who asserts or reports it: the author asserts nearly all.
    """
    g = d.all
    provenance = set()
    for p in (EKG.assertedBy, EKG.reportedBy, EKG.paragraph, EKG.quote):
        provenance |= set(g.transitive_objects(p, RDFS.subPropertyOf))
    actors = {a for a in g.subjects(RDF.type, EKG.Actor) if str(a).startswith(str(EKGID))}
    about = defaultdict(set)
    for s in statements:
        named = []
        for p, o in g.predicate_objects(s):
            if p in provenance or p == RDF.type:
                continue
            named.append(o)
            if (o, RDF.type, EKG.Proposition) in g:
                named += [v for q, v in g.predicate_objects(o) if q not in provenance]
        for o in named:
            if o in actors:
                about[o].add(s)
    ranked = sorted(about.items(), key=lambda kv: (-len(kv[1]), d.label(kv[0]), str(kv[0])))
    return [(a, len(nodes)) for a, nodes in ranked[:ACTORS]]


def main_relations(d, statements: list) -> list:
    """Return (predicate, statements, first statement) of the relations between things stated most.

    Relations between things: predicates that are object properties, in statements with an
    object that is an entity of the essay (not "is" with a quality or a trend).
    """
    g = d.all
    stated = defaultdict(list)
    for s in statements:
        if not any(str(o).startswith(str(EKGID)) for o in d.roles(s, d.object_roles)):
            continue
        for p in g.objects(s, EKG.predicate):
            if isinstance(p, URIRef) and (p, RDF.type, OWL.ObjectProperty) in g:
                stated[p].append(s)
    ranked = sorted(stated.items(), key=lambda kv: (-len(kv[1]), d.label(kv[0]), str(kv[0])))
    return [(p, len(nodes), d.statement(nodes[0])) for p, nodes in ranked[:RELATIONS]]


def reported_relations(d) -> list:
    """Return (class, [Sentence]) of the relations the essay reports (sanctions, trade, ...), by class.

    Those whose sentence says more than their name: who, on whom, how much, since when.
    """
    g = d.all
    grouped = defaultdict(list)
    for node in d.instances(EKG.Relationship):
        if (node, EKG.paragraph, None) in g:  # the essay's, with its evidence
            kind = d.main_type(node)
            grouped[kind].extend(s for s in d.sentences(node, [node]) if s.text != d.label(node))
    return [(kind, sorted(found, key=lambda s: (s.text, str(s.node))))
            for kind, found in sorted(grouped.items(), key=lambda kv: (d.label(kv[0]), str(kv[0]))) if found]
