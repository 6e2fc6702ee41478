"""Building the dataset: named graphs, OWL 2 RL inferences kept apart, parse errors, and the
derived shortcuts. The reasoners themselves and the inference cache: test_reasoning.py."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

# BuildError and DataError as the commands import them: build_dataset raises both.
from eurasia_kg.graph.dataset import (
    BACKGROUND_GRAPH, DERIVED_GRAPH, ESSAY_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, BuildError, DataError,
    build_dataset)
from eurasia_kg.ontology import EKG, EKGID, ORG, PROV

from .conftest import TESTS


def test_named_graphs_keep_asserted_and_inferred_apart(built):
    assert built.named_graphs() == [ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH, DERIVED_GRAPH,
                                    INFERRED_GRAPH]
    inferred = set(built.graph(INFERRED_GRAPH))
    for name in (ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH, DERIVED_GRAPH):
        assert not inferred & set(built.graph(name)), name
    assert built.inferred_count == len(inferred) > 0
    assert len(built.view("all")) == len(built.view("asserted")) + len(built.view("inferred"))


@pytest.mark.parametrize("triple", [
    (EKGID.SCO, ORG.hasMember, EKGID.Russia),                       # owl:inverseOf
    (EKGID.ReformistApproach, EKG.contrastsWith, EKGID.RevolutionaryApproach),  # owl:SymmetricProperty
    (EKGID.EuropeanUnion, EKG.neighbourOf, EKGID.Russia),            # owl:SymmetricProperty
    (EKGID.China, RDF.type, PROV.Agent),                             # superclass typing
    (EKGID["claim-p18-4"], RDF.type, EKG.AssessmentStatement),       # owl:hasValue class
    (EKGID.TradeChinaEU2021, PROV.wasAttributedTo, EKGID.ZhaoHuasheng),  # rdfs:subPropertyOf
    (EKGID.BeltAndRoadInitiative, EKG.pursuedBy, EKGID.China),       # owl:inverseOf
    (EKGID.USSanctionsOnRussia, EKG.subject, EKGID.UnitedStates),    # the n-ary roles' alignment
    (EKGID.USSanctionsOnRussia, EKG.object, EKGID.Russia),
])
def test_useful_inferences_are_in_the_inferred_graph(built, triple):
    assert triple in built.graph(INFERRED_GRAPH)
    assert triple not in built.view("asserted")


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
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c .\nex:d ex:e .\nex:f ex:g ex:h .\n",
                   encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_dataset([bad])
    message = str(caught.value)
    assert "broken.ttl" in message
    assert "line 4" in message


def test_a_syntax_error_after_non_ascii_text_names_the_right_line(tmp_path):
    """Regression: the line was counted in bytes up to a character offset, so every curly quote
    or dash before the error (three bytes in UTF-8, one character) moved it."""
    bad = tmp_path / "quotes.ttl"
    lines = ["@prefix ex: <http://example.org/> ."]
    lines += [f'ex:s{i} ex:p "China’s trade – “{i}”" .' for i in range(40)]
    lines += ["ex:d ex:e .", "ex:f ex:g ex:h .", ""]
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_dataset([bad])
    assert "line 42," in str(caught.value)


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


def test_an_unknown_reasoner_is_refused():
    with pytest.raises(ValueError, match="reasoner"):
        build_dataset(reasoner="hermit")


# ------------------------------------------------------------------ derived shortcuts

SHORTCUT_RULE = """
PREFIX ekg:  <https://w3id.org/eurasia-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s ?p ?o } WHERE {
  ?st ekg:predicate ?p ; ekg:modality ?m .
  FILTER (?m IN (ekg:ReportedFact, ekg:Assessment) && isIRI(?p))
  FILTER NOT EXISTS { ?st ekg:negated true }
  FILTER NOT EXISTS { ?st ekg:condition|ekg:attitude|ekg:mode|ekg:regarding|ekg:before ?qualifier }
  ?sr rdfs:subPropertyOf* ekg:subject . ?st ?sr ?s .
  { ?or rdfs:subPropertyOf* ekg:object . ?st ?or ?o } UNION { ?st ekg:objectValue ?o }
  FILTER (?s != ?o && !isLiteral(?s))
}"""


def test_the_derived_graph_is_the_shortcut_rule_in_sparql(built):
    """Every shortcut of the derived graph, and no other, follows from a statement by the rule."""
    import pyoxigraph as ox

    from eurasia_kg.graph.terms import to_rdflib as from_ox

    store = ox.Store()
    for name in (ONTOLOGY_GRAPH, ESSAY_GRAPH):  # the statements and the roles' sub-properties
        store.load(built.graph(name).serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    by_rule = {tuple(from_ox(t) for t in (q.subject, q.predicate, q.object))
               for q in store.query(SHORTCUT_RULE)}
    derived = set(built.graph(DERIVED_GRAPH))
    assert len(derived) > 100
    assert by_rule == derived


@pytest.mark.parametrize("triple", [
    (EKGID.UnitedStates, EKG.threatens, EKGID.China),                 # a claim (paragraph 4)
    (EKGID.UnitedStates, EKG.regardsAsMainCompetitor, EKGID.China),   # one-sided: not the reverse
    (EKGID.RussiaUkraineConflict, EKG.harms, EKGID.ChinaEuropeRelations),
    (EKGID.UnitedStates, EKG.imposesSanctionsOn, EKGID.Russia),       # a sanction node's roles
    (EKGID.China, EKG.strategicPartnerOf, EKGID.Russia),              # ekg:party, both ways
    (EKGID.Russia, EKG.strategicPartnerOf, EKGID.China),
    (EKGID.Russia, EKG.leansTowards, EKGID.RevolutionaryApproach),    # hedged, still stated
    (EKGID.China, EKG.worldEconomyRank, Literal(2)),                  # a typed value
    (EKGID.ChinasElite, EKG.belongsTo, EKGID.China),
])
def test_plain_statements_give_shortcuts(built, triple):
    assert triple in built.graph(DERIVED_GRAPH)


@pytest.mark.parametrize("triple, why", [
    ((EKGID.China, EKG.regardsAsMainCompetitor, EKGID.UnitedStates), "the view is one-sided"),
    ((EKGID.ChinaRussiaRelations, EKG.relationKind, EKG.Alliance), "negated (claim-p23-12)"),
    ((EKGID.Russia, EKG.closesOffFrom, EKGID.GlobalEconomy), "negated, and Putin's words"),
    ((EKGID.Russia, EKG.hasCharacteristic, EKG.Open), "reported speech (Putin)"),
    ((EKGID.China, EKG.improvesRelationsWith, EKGID.EuropeanUnion), "a recommendation"),
    ((EKGID.China, EKG.developsRelationsWith, EKGID.Russia), "an attitude: China wants to"),
    ((EKGID.China, EKG.balancesBetween, EKGID.Ukraine), "a mode (difficult) and a condition"),
    ((EKGID.RussiaUkraineConflict, EKG.hasTrend, EKG.Escalating), "possible, under a condition"),
    ((EKGID.China, EKG.agreesWith, EKGID.Russia), "only 'in these matters' (ekg:regarding)"),
    ((EKGID.UnitedStates, EKG.drivesWedgeBetween, EKGID.China), "only before the conflict"),
    ((EKGID.ChinasElite, EKG.disapprovesOf, EKGID.RussiaUkraineConflict), "only part of it does"),
])
def test_denied_recommended_reported_or_qualified_statements_give_no_shortcut(built, triple, why):
    assert triple not in built.view("all"), why


SHORTCUT_CASES = """
@prefix ekg: <https://w3id.org/eurasia-kg/ontology#> .
@prefix x: <urn:x:> .
x:plain ekg:subject x:a ; ekg:predicate ekg:pressures ; ekg:object x:b ; ekg:modality ekg:Assessment .
x:hedged ekg:subject x:a ; ekg:predicate ekg:threatens ; ekg:object x:b ; ekg:modality ekg:ReportedFact ;
    ekg:hedged true .
x:value ekg:subject x:a ; ekg:predicate ekg:worldEconomyRank ; ekg:objectValue 3 ; ekg:modality ekg:ReportedFact .
x:roles ekg:imposedBy x:a ; ekg:predicate ekg:imposesSanctionsOn ; ekg:sanctionTarget x:c ;
    ekg:modality ekg:ReportedFact .
x:parties ekg:party x:a , x:d ; ekg:predicate ekg:cooperatesWith ; ekg:modality ekg:ReportedFact .
x:negated ekg:subject x:a ; ekg:predicate ekg:harms ; ekg:object x:b ; ekg:modality ekg:Assessment ;
    ekg:negated true .
x:advice ekg:subject x:a ; ekg:predicate ekg:benefits ; ekg:object x:b ; ekg:modality ekg:Recommendation .
x:words ekg:subject x:a ; ekg:predicate ekg:opposes ; ekg:object x:b ; ekg:modality ekg:ReportedSpeech .
x:wish ekg:subject x:a ; ekg:predicate ekg:joins ; ekg:object x:b ; ekg:modality ekg:ReportedFact ;
    ekg:attitude ekg:Wants .
x:maybe ekg:subject x:a ; ekg:predicate ekg:limits ; ekg:object x:b ; ekg:modality ekg:Assessment ;
    ekg:mode ekg:Possible .
x:if ekg:subject x:a ; ekg:predicate ekg:causes ; ekg:object x:b ; ekg:modality ekg:Assessment ;
    ekg:condition x:plain .
x:self ekg:subject x:a ; ekg:predicate ekg:values ; ekg:object x:a ; ekg:modality ekg:Assessment .
x:matter ekg:subject x:a ; ekg:predicate ekg:agreesWith ; ekg:object x:b ; ekg:modality ekg:Assessment ;
    ekg:regarding x:c .
x:past ekg:subject x:a ; ekg:predicate ekg:pursues ; ekg:object x:b ; ekg:modality ekg:ReportedFact ;
    ekg:before x:c .
x:then ekg:subject x:a ; ekg:predicate ekg:tempts ; ekg:object x:b ; ekg:modality ekg:ReportedFact ;
    ekg:after x:c .
"""


def test_shortcut_rule_on_every_kind_of_statement():
    data = Graph().parse(data=SHORTCUT_CASES, format="turtle")
    built = build_dataset(graphs=[data], with_shipped=False, reason=False)
    x = "urn:x:"
    assert set(built.graph(DERIVED_GRAPH)) == {
        (URIRef(x + "a"), EKG.pressures, URIRef(x + "b")),
        (URIRef(x + "a"), EKG.threatens, URIRef(x + "b")),        # hedged: stated with reserve
        (URIRef(x + "a"), EKG.worldEconomyRank, Literal(3)),
        (URIRef(x + "a"), EKG.imposesSanctionsOn, URIRef(x + "c")),  # sub-properties of the roles
        (URIRef(x + "a"), EKG.cooperatesWith, URIRef(x + "d")),
        (URIRef(x + "d"), EKG.cooperatesWith, URIRef(x + "a")),
        (URIRef(x + "a"), EKG.tempts, URIRef(x + "b")),           # holds since an event: still so
    }


def test_derived_shortcuts_are_reasoned_over(built):
    """A shortcut takes part in OWL 2 RL: its inverse is inferred, not derived twice."""
    assert (EKGID.UnitedStates, EKG.pursues, EKGID.EconomicDecoupling) in built.graph(DERIVED_GRAPH)
    assert (EKGID.EconomicDecoupling, EKG.pursuedBy, EKGID.UnitedStates) in built.graph(INFERRED_GRAPH)
