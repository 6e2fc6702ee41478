"""Building the dataset: named graphs, OWL 2 RL inferences kept apart and clean, parse errors."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from eurasia_kg.graph.dataset import (
    BACKGROUND_GRAPH, ESSAY_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, OWLRL_ERROR, BuildError,
    DataError, build_dataset)
from eurasia_kg.ontology import EKG, EKGID, ORG, PROV

from .conftest import TESTS


def test_named_graphs_keep_asserted_and_inferred_apart(built):
    assert built.named_graphs() == [ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH, INFERRED_GRAPH]
    inferred = set(built.graph(INFERRED_GRAPH))
    for name in (ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH):
        assert not inferred & set(built.graph(name)), name
    assert built.inferred_count == len(inferred) > 0
    assert len(built.view("all")) == len(built.view("asserted")) + len(built.view("inferred"))


@pytest.mark.parametrize("triple", [
    (EKGID.SCO, ORG.hasMember, EKGID.Russia),                       # owl:inverseOf
    (EKGID.Russia, EKG.strategicPartnerOf, EKGID.China),             # owl:SymmetricProperty
    (EKGID.EuropeanUnion, EKG.neighbourOf, EKGID.Russia),            # owl:SymmetricProperty
    (EKGID.China, RDF.type, PROV.Agent),                             # superclass typing
    (EKGID["claim-p18-4"], RDF.type, EKG.AssessmentStatement),       # owl:hasValue class
    (EKGID.TradeChinaEU2021, PROV.wasAttributedTo, EKGID.ZhaoHuasheng),  # rdfs:subPropertyOf
    (EKGID.China, EKG.pursues, EKGID.BeltAndRoadInitiative),         # owl:inverseOf
])
def test_useful_inferences_are_in_the_inferred_graph(built, triple):
    assert triple in built.graph(INFERRED_GRAPH)
    assert triple not in built.view("asserted")


def test_inferences_are_clean(built):
    inferred = built.graph(INFERRED_GRAPH)
    assert not [t for t in inferred if isinstance(t[0], Literal)]
    assert not [s for s, o in inferred.subject_objects(OWL.sameAs) if s == o]
    assert not list(inferred.subjects(RDF.type, OWLRL_ERROR))
    # No self-links through symmetric or inverse properties.
    for prop in (EKG.strategicPartnerOf, EKG.neighbourOf, EKG.contrastsWith):
        assert not [s for s, o in inferred.subject_objects(prop) if s == o]


def test_an_inconsistency_fails_the_build(tmp_path):
    bad = tmp_path / "inconsistent.ttl"
    bad.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        "ex:A owl:disjointWith ex:B .\n"
        "ex:x a ex:A , ex:B .\n", encoding="utf-8")
    with pytest.raises(BuildError, match="inconsisten"):
        build_dataset([bad])


def test_a_turtle_syntax_error_names_the_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c .\nex:d ex:e \n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_dataset([bad])
    message = str(caught.value)
    assert "broken.ttl" in message
    assert "line 4" in message


def test_a_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        build_dataset([tmp_path / "absent.ttl"])


def test_user_files_in_other_formats_load(tmp_path):
    graph = Graph()
    graph.add((EKGID.X, RDF.type, EKG.State))
    for suffix, fmt in ((".nt", "nt"), (".jsonld", "json-ld"), (".rdf", "xml")):
        path = tmp_path / f"data{suffix}"
        graph.serialize(path, format=fmt)
        built = build_dataset([path])
        assert (EKGID.X, RDF.type, EKG.Actor) in built.graph(INFERRED_GRAPH), suffix


def test_the_build_does_not_read_the_source_essay(monkeypatch):
    # The product must not need ../shared at run time.
    import builtins
    real_open = builtins.open

    def guarded(path, *args, **kwargs):
        assert "shared/source" not in str(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    assert build_dataset(reason=False).asserted_count > 0
    assert TESTS.exists()


def test_a_second_identical_build_reuses_the_inferences(built):
    again = build_dataset()
    assert again.inference_cached
    assert set(again.graph(INFERRED_GRAPH)) == set(built.graph(INFERRED_GRAPH))


def test_a_changed_input_is_reasoned_afresh(tmp_path):
    data = tmp_path / "one.ttl"
    data.write_text("@prefix ekg: <https://w3id.org/eurasia-kg/ontology#> .\n"
                    "<http://example.org/x> a ekg:State .\n", encoding="utf-8")
    first = build_dataset([data])
    data.write_text("@prefix ekg: <https://w3id.org/eurasia-kg/ontology#> .\n"
                    "<http://example.org/y> a ekg:Person .\n", encoding="utf-8")
    second = build_dataset([data])
    assert not second.inference_cached
    assert (URIRef("http://example.org/y"), RDF.type, PROV.Person) in second.graph(INFERRED_GRAPH)
    assert (URIRef("http://example.org/x"), RDF.type, EKG.Actor) in first.graph(INFERRED_GRAPH)
