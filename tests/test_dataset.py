"""Building the dataset: named graphs, OWL 2 RL inferences kept apart and clean, parse errors, and
the two reasoners (owlrl, the reference, and reasonable, completed) agreeing."""

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from eurasia_kg.graph.dataset import (
    BACKGROUND_GRAPH, DERIVED_GRAPH, ESSAY_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, OWLRL_ERROR,
    BuildError, DataError, build_dataset, choose_reasoner, infer_into, inference_key)
from eurasia_kg.graph.synthetic import SIZES, generate_synthetic
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


def test_a_file_read_from_elsewhere_is_reasoned_afresh(tmp_path):
    """Its relative IRIs resolve against where it is: the cached inferences would be of other IRIs."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "one.ttl").write_text(
            "@prefix ekg: <https://w3id.org/eurasia-kg/ontology#> .\n<x> a ekg:State .\n", encoding="utf-8")
    build_dataset([tmp_path / "a" / "one.ttl"])
    second = build_dataset([tmp_path / "b" / "one.ttl"])
    assert not second.inference_cached
    assert (URIRef((tmp_path / "b").resolve().as_uri() + "/x"), RDF.type, EKG.Actor) in second.graph(INFERRED_GRAPH)


# ----------------------------------------------------------------------------------------
# The two reasoners: reasonable (completed) gives what owlrl, the reference, gives
# ----------------------------------------------------------------------------------------

def test_the_shipped_graph_is_reasoned_by_reasonable(built):
    assert built.reasoner == "reasonable"


def test_reasonable_infers_what_owlrl_infers_on_the_essay_graph(built):
    reference = build_dataset(reasoner="owlrl")
    assert reference.reasoner == "owlrl" and not reference.inference_cached
    # Exactly equal, after is_useful_inference and with literals in their parsed form: the
    # schema closure reasonable lacks (scm-cls, scm-dom*, scm-rng*, ...) is completed in Python.
    assert set(built.graph(INFERRED_GRAPH)) == set(reference.graph(INFERRED_GRAPH))


def test_reasonable_infers_what_owlrl_infers_on_the_synthetic_graph(tmp_path):
    info = generate_synthetic(tmp_path / "synthetic.nt", SIZES["2k"])
    results = [build_dataset([info.file], reasoner=r) for r in ("owlrl", "reasonable")]
    assert set(results[0].graph(INFERRED_GRAPH)) == set(results[1].graph(INFERRED_GRAPH))
    assert results[0].inferred_count > 1000


def test_the_inference_cache_key_names_the_reasoner(tmp_path):
    data = tmp_path / "one.ttl"
    data.write_text("<http://example.org/x> a <http://example.org/C> .\n", encoding="utf-8")
    assert inference_key([data], "owlrl") != inference_key([data], "reasonable")


def test_an_unknown_reasoner_is_refused():
    with pytest.raises(ValueError, match="reasoner"):
        build_dataset(reasoner="hermit")


PREFIXES = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""


def _infer(text: str, reasoner: str):
    """Reason over one small Turtle graph; return the inferred triples or the BuildError."""
    ds = Dataset()
    ds.graph(URIRef("urn:test:data")).parse(data=PREFIXES + text, format="turtle")
    target = ds.graph(INFERRED_GRAPH)
    try:
        infer_into(ds, target, reasoner)
    except BuildError as exc:
        return exc
    return set(target)


#: One row per construct of REASONABLE_VOCABULARY that the essay graph does not exercise.
CONSISTENT = {
    "schema closure": """
        ex:A a owl:Class ; rdfs:subClassOf ex:B . ex:B a owl:Class ; rdfs:subClassOf ex:C .
        ex:C a rdfs:Class . ex:D owl:equivalentClass ex:A .
        ex:E rdfs:subClassOf ex:F . ex:F rdfs:subClassOf ex:E .
        ex:p a owl:ObjectProperty ; rdfs:subPropertyOf ex:q ; rdfs:domain ex:A ; rdfs:range ex:B .
        ex:q rdfs:subPropertyOf ex:r ; rdfs:domain ex:C . ex:r rdfs:range ex:C .
        ex:s owl:equivalentProperty ex:p . ex:t rdfs:subPropertyOf ex:u . ex:u rdfs:subPropertyOf ex:t .
        ex:x ex:p ex:y . ex:z ex:s ex:w .""",
    "string literals keep their form": """
        ex:t rdfs:subPropertyOf ex:u .
        ex:x ex:t "plain" , "typed"^^xsd:string , "tagged"@en , "19.0"^^xsd:decimal .""",
    "sameAs": """
        ex:a owl:sameAs ex:b . ex:b owl:sameAs ex:c . ex:a ex:p ex:d . ex:c a ex:K .
        ex:K rdfs:subClassOf ex:L . ex:p owl:inverseOf ex:q . ex:q a owl:SymmetricProperty .""",
    "hasValue restrictions (scm-hv)": """
        ex:m a owl:ObjectProperty ; rdfs:subPropertyOf ex:n .
        ex:H owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:m ; owl:hasValue ex:v ] .
        ex:G owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:n ; owl:hasValue ex:v ] .
        ex:J owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:m ; owl:hasValue ex:v ] .
        ex:i ex:m ex:v . ex:j a ex:H . ex:H rdfs:subClassOf ex:I .""",
    "transitive and symmetric": """
        ex:in a owl:TransitiveProperty . ex:a ex:in ex:b . ex:b ex:in ex:c . ex:c ex:in ex:d .
        ex:next a owl:SymmetricProperty . ex:a ex:next ex:b .
        ex:o a owl:Ontology ; owl:versionInfo "1" . ex:n a owl:NamedIndividual , owl:Thing .
        ex:ann a owl:AnnotationProperty .""",
    "disjointness respected": """
        ex:A owl:disjointWith ex:B . ex:x a ex:A . ex:y a ex:B . ex:N owl:complementOf ex:A .
        ex:D rdfs:subClassOf ex:B . ex:w a ex:D .
        [] a owl:AllDisjointClasses ; owl:members ( ex:A ex:C ) .
        ex:p owl:propertyDisjointWith ex:q . ex:x ex:p ex:y ; ex:q ex:z .
        ex:ir a owl:IrreflexiveProperty . ex:x ex:ir ex:y .
        ex:as a owl:AsymmetricProperty . ex:x ex:as ex:y . ex:x owl:differentFrom ex:y .""",
}


@pytest.mark.parametrize("text", CONSISTENT.values(), ids=CONSISTENT.keys())
def test_reasonable_infers_what_owlrl_infers_for_each_construct(text):
    assert choose_reasoner(Graph().parse(data=PREFIXES + text, format="turtle")) == "reasonable"
    reference = _infer(text, "owlrl")
    assert isinstance(reference, set) and reference
    assert _infer(text, "reasonable") == reference


#: One row per OWL 2 RL inconsistency rule (owlrl's error nodes): both reasoners fail.
INCONSISTENT = {
    "cax-dw": "ex:A owl:disjointWith ex:B . ex:x a ex:A , ex:B .",
    "cax-dw, inferred types": """ex:A owl:disjointWith ex:B . ex:C rdfs:subClassOf ex:B .
        ex:p rdfs:domain ex:C . ex:x a ex:A ; ex:p ex:y .""",
    "cax-adc": """[] a owl:AllDisjointClasses ; owl:members ( ex:A ex:B ex:C ) .
        ex:x a ex:A , ex:C .""",
    "cls-com": "ex:A owl:complementOf ex:B . ex:x a ex:A , ex:B .",
    "cls-nothing2": "ex:A rdfs:subClassOf owl:Nothing . ex:x a ex:A .",
    "eq-diff1": "ex:a owl:sameAs ex:b . ex:b owl:sameAs ex:c . ex:c owl:differentFrom ex:a .",
    "eq-diff1, reflexive": "ex:a owl:differentFrom ex:a .",
    "prp-irp": "ex:p a owl:IrreflexiveProperty . ex:x ex:p ex:x .",
    "prp-asyp": "ex:p a owl:AsymmetricProperty , owl:SymmetricProperty . ex:x ex:p ex:y .",
    "prp-pdw": """ex:p owl:propertyDisjointWith ex:q . ex:r rdfs:subPropertyOf ex:q .
        ex:x ex:p ex:y ; ex:r ex:y .""",
}


@pytest.mark.parametrize("text", INCONSISTENT.values(), ids=INCONSISTENT.keys())
@pytest.mark.parametrize("reasoner", ["owlrl", "reasonable", "auto"])
def test_each_kind_of_inconsistency_fails_with_either_reasoner(text, reasoner):
    result = _infer(text, reasoner)
    assert isinstance(result, BuildError), result
    assert "inconsistenc" in str(result)


@pytest.mark.parametrize("reasoner", ["owlrl", "reasonable"])
def test_an_ill_typed_literal_is_no_inconsistency(reasoner):
    """RDF allows ill-typed literals (owlrl's dt-not-type): the build reports them as warnings
    (test_parsing.py), the reasoners go on, and owlrl's error node stays out of the answer."""
    inferred = _infer('ex:p rdfs:subPropertyOf ex:q . ex:x ex:p "abc"^^xsd:integer .', reasoner)
    assert isinstance(inferred, set), inferred
    assert {str(o) for s, p, o in inferred if str(p).endswith("/q")} == {"abc"}
    assert not [t for t in inferred if isinstance(t[0], BNode)]


def test_an_inconsistency_names_what_is_wrong():
    message = str(_infer("ex:A owl:disjointWith ex:B . ex:x a ex:A , ex:B .", "owlrl"))
    assert "Disjoint classes http://example.org/A and http://example.org/B" in message
    assert "http://example.org/x" in message


@pytest.mark.parametrize("text", [
    "ex:p a owl:FunctionalProperty . ex:x ex:p ex:a , ex:b .",              # prp-fp
    # prp-key and prp-spo2: not in reasonable
    "ex:C owl:hasKey ( ex:p ) . ex:x a ex:C ; ex:p 1 . ex:y a ex:C ; ex:p 1 .",
    "ex:r owl:propertyChainAxiom ( ex:p ex:q ) . ex:x ex:p ex:y . ex:y ex:q ex:z .",
    # owlrl 7.6 skips the last member of the list (eq-diff2): reasonable would be stricter.
    "[] a owl:AllDifferent ; owl:members ( ex:a ex:b ex:c ) . ex:a owl:sameAs ex:c .",
])
def test_auto_leaves_other_owl_constructs_to_owlrl(text):
    graph = Graph().parse(data=PREFIXES + text, format="turtle")
    assert choose_reasoner(graph, "auto") == "owlrl"
    assert choose_reasoner(graph, "reasonable") == "reasonable"


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

    from eurasia_kg.server.sources import from_ox

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
