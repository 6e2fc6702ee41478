"""The graph against the essay: verbatim quotes, every paragraph cited, the essay not copied whole,
and no fact about an entity without the statement that says it."""

import re

from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from eurasia_kg.graph.dataset import BACKGROUND_GRAPH, ESSAY_GRAPH, shipped_files
from eurasia_kg.ontology import EKG, ORG, PARA

from .conftest import normalise


def statements(graph):
    return set(graph.subjects(EKG.quote, None))


def paragraph_number(iri) -> int:
    return int(re.fullmatch(r".*/essay/p(\d+)", str(iri)).group(1))


def test_every_quote_is_verbatim_in_the_paragraph_it_cites(built, paragraphs):
    essay = built.graph(ESSAY_GRAPH)
    wrong = []
    for statement, quote in essay.subject_objects(EKG.quote):
        for paragraph in essay.objects(statement, EKG.paragraph):
            if normalise(str(quote)) not in normalise(paragraphs[paragraph_number(paragraph)]):
                wrong.append((str(statement), paragraph_number(paragraph), str(quote)))
    assert wrong == []


def test_every_paragraph_is_cited(built, paragraphs):
    essay = built.graph(ESSAY_GRAPH)
    cited = {paragraph_number(p) for p in essay.objects(None, EKG.paragraph)}
    assert set(paragraphs) == set(range(1, 25))
    assert cited == set(paragraphs)


def test_each_paragraph_resource_has_a_stable_iri_and_number(built, paragraphs):
    essay = built.graph(ESSAY_GRAPH)
    for n in paragraphs:
        assert (PARA[f"p{n}"], RDF.type, EKG.Paragraph) in essay
        assert essay.value(PARA[f"p{n}"], EKG.paragraphNumber).toPython() == n


def test_quotes_are_passages_not_paragraphs(built, paragraphs):
    essay = built.graph(ESSAY_GRAPH)
    whole = {normalise(t) for t in paragraphs.values()}
    too_long = [str(q) for q in essay.objects(None, EKG.quote) if normalise(str(q)) in whole]
    assert too_long == []


def test_the_text_slips_are_kept_not_fixed(built):
    quotes = {str(q) for q in built.graph(ESSAY_GRAPH).objects(None, EKG.quote)}
    assert any("since China does not Russia" in q for q in quotes)
    assert any("As the US purses its policy" in q for q in quotes)
    assert not any("pursues its policy" in q for q in quotes)


def test_the_shipped_files_do_not_hold_the_essay_whole(paragraphs):
    shipped = normalise(" ".join(f.read_text(encoding="utf-8") for f in shipped_files()))
    copied = [n for n, text in paragraphs.items() if normalise(text) in shipped]
    assert copied == []
    assert "ekg:paragraphText" not in shipped


def test_every_statement_has_one_paragraph_and_a_modality(built):
    essay = built.graph(ESSAY_GRAPH)
    for statement in statements(essay):
        assert len(list(essay.objects(statement, EKG.paragraph))) == 1, statement
        assert len(list(essay.objects(statement, EKG.modality))) == 1, statement
        assert essay.value(statement, EKG.assertedBy) is not None, statement


# ------------------------------------------------------------------ no uncited triple

#: What an entity may carry in the essay graph without a statement: its names and descriptions.
NAMES = {RDF.type, RDFS.label, RDFS.comment, SKOS.altLabel, SKOS.prefLabel, SKOS.definition,
         SKOS.editorialNote}
#: The essay and its paragraphs describe the source text itself (title, author, numbering).
DOCUMENT = (EKG.Essay, EKG.Paragraph)


def cited_nodes(essay):
    """Statement nodes (they carry their own evidence), the propositions they embed, and the
    value nodes (amounts, shares) of their figures: their triples are read in their quotes."""
    statements = set(essay.subjects(EKG.quote, None))
    embedded = {o for s in statements for p, o in essay.predicate_objects(s)
                if (o, RDF.type, EKG.Proposition) in essay}
    values = {o for s in statements for p in (EKG.amount, EKG.share) for o in essay.objects(s, p)}
    return statements | embedded | values


def test_no_entity_triple_in_the_essay_graph_lacks_a_statement(built):
    """Entities carry only names in the essay graph: every fact about them is a statement's."""
    essay = built.graph(ESSAY_GRAPH)
    cited = cited_nodes(essay)
    document = {s for c in DOCUMENT for s in essay.subjects(RDF.type, c)}
    uncited = sorted((str(s), str(p), str(o)) for s, p, o in essay
                     if p not in NAMES and s not in cited and s not in document)
    assert uncited == []
    assert len(cited) > 190


def test_every_derived_shortcut_has_a_supporting_statement_with_its_quote(built):
    """?a ekg:x ?b is easy to query, and every answer leads to a statement and its quote."""
    from eurasia_kg.graph.dataset import DERIVED_GRAPH, ONTOLOGY_GRAPH

    ontology, essay = built.graph(ONTOLOGY_GRAPH), built.graph(ESSAY_GRAPH)
    subject_roles = set(ontology.transitive_subjects(RDFS.subPropertyOf, EKG.subject))
    object_roles = set(ontology.transitive_subjects(RDFS.subPropertyOf, EKG.object)) | {EKG.objectValue}
    derived = built.graph(DERIVED_GRAPH)
    assert len(derived) > 100
    unsupported = []
    for s, p, o in derived:
        support = [st for st in essay.subjects(EKG.predicate, p)
                   if any((st, r, s) in essay for r in subject_roles)
                   and any((st, r, o) in essay for r in object_roles)
                   and essay.value(st, EKG.quote) is not None]
        if not support:
            unsupported.append((str(s), str(p), str(o)))
    assert unsupported == []


def test_background_facts_say_which_triple_they_source(built):
    """Every fact of the background graph about an entity is described by a sourced fact node."""
    background = built.graph(BACKGROUND_GRAPH)
    facts = set(background.subjects(RDF.type, EKG.BackgroundFact))
    assert facts
    described = set()
    for fact in facts:
        assert background.value(fact, DCTERMS.source) is not None, fact
        described.update((s, p, o) for s in background.objects(fact, EKG.subject)
                         for p in background.objects(fact, EKG.predicate)
                         for o in background.objects(fact, EKG.object))
        for member in background.objects(fact, ORG.member):
            for organisation in background.objects(fact, ORG.organization):
                described.add((member, ORG.memberOf, organisation))
                described.add((organisation, ORG.hasMember, member))
    stated = {(s, p, o) for s, p, o in background
              if p not in NAMES and s not in facts}
    assert stated and stated <= described, sorted(stated - described)
    # What the essay does not say is not in the essay graph.
    essay = built.graph(ESSAY_GRAPH)
    assert not list(essay.triples((None, SKOS.exactMatch, None)))
    assert not list(essay.triples((None, EKG.officialOf, None)))
