"""The graph against the essay: verbatim quotes, every paragraph cited, the essay not copied whole."""

import re

from rdflib.namespace import RDF

from eurasia_kg.graph.dataset import ESSAY_GRAPH, shipped_files
from eurasia_kg.ontology import EKG, PARA

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
