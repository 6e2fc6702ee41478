"""Synthetic data: the essay graph's shape, deterministic by seed, of the size asked for, valid."""

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from eurasia_kg.graph.dataset import DERIVED_GRAPH, build_dataset
from eurasia_kg.graph.synthetic import SIZES, SYNTHETIC, generate_synthetic, main
from eurasia_kg.graph.validation import validate_dataset
from eurasia_kg.ontology import EKG, ORG, PARA, SCHEMA


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The 2k synthetic graph: its file and what the generator says about it."""
    path = tmp_path_factory.mktemp("synthetic") / "synthetic-2k.nt"
    return generate_synthetic(path, SIZES["2k"], seed=7)


@pytest.fixture(scope="module")
def small_graph(small):
    return Graph().parse(small.file, format="nt")


@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    """A 20k synthetic graph: enough claims for the rarer qualifiers to occur."""
    path = tmp_path_factory.mktemp("synthetic") / "synthetic-20k.nt"
    return generate_synthetic(path, 20_000, seed=7)


@pytest.fixture(scope="module")
def medium_graph(medium):
    return Graph().parse(medium.file, format="nt")


def test_the_same_seed_writes_the_same_bytes(small, tmp_path):
    again = generate_synthetic(tmp_path / "again.nt", SIZES["2k"], seed=7)
    other = generate_synthetic(tmp_path / "other.nt", SIZES["2k"], seed=8)
    assert again.file.read_bytes() == small.file.read_bytes()
    assert other.file.read_bytes() != small.file.read_bytes()


@pytest.mark.parametrize("size", ["2k", "100k"])
def test_the_size_is_within_ten_percent(size, tmp_path):
    info = generate_synthetic(tmp_path / f"{size}.nt", SIZES[size])
    lines = [line for line in info.file.read_text(encoding="utf-8").splitlines() if line]
    assert len(lines) == info.triples_written == len(set(lines))  # no triple twice
    assert abs(len(lines) - SIZES[size]) <= SIZES[size] * 0.10


def test_the_triple_count_is_what_the_file_holds(small, small_graph):
    assert len(small_graph) == small.triples_written  # no duplicate lines


@pytest.mark.parametrize("with_shipped", [False, True], ids=["alone", "with the essay"])
def test_the_2k_graph_conforms_to_the_shapes(small, with_shipped):
    built = build_dataset([small.file], with_shipped=with_shipped)
    report = validate_dataset(built)
    assert report.conforms, report.to_text()[:3000]


@pytest.mark.parametrize("cls", [
    EKG.State, EKG.InternationalOrganization, EKG.Person, EKG.Group, EKG.Region,
    EKG.Initiative, EKG.Conflict, ORG.Membership, EKG.Essay, EKG.Paragraph,
    EKG.BilateralRelation, EKG.Cooperation, EKG.Sanction, EKG.Demand, EKG.Connection,
    EKG.TradeFlow, EKG.TradeShare, SCHEMA.MonetaryAmount, SCHEMA.QuantitativeValue, EKG.Claim,
    EKG.Proposition, EKG.BackgroundFact,
])
def test_the_2k_graph_instantiates_the_essay_graph_s_classes(small_graph, cls):
    assert any(small_graph.subjects(RDF.type, cls)), cls


def test_trade_flows_have_their_amounts(small_graph):
    flows = list(small_graph.subjects(RDF.type, EKG.TradeFlow))
    for flow in flows:
        amount = small_graph.value(flow, EKG.amount)
        assert (amount, RDF.type, SCHEMA.MonetaryAmount) in small_graph
        value = small_graph.value(amount, SCHEMA.value) or small_graph.value(amount, SCHEMA.minValue)
        assert value is not None and value.datatype.endswith("#decimal")
        assert small_graph.value(amount, SCHEMA.currency) == Literal("USD")


def test_every_claim_has_a_proposition_or_says_why_it_has_none(medium_graph):
    claims = set(medium_graph.subjects(RDF.type, EKG.Claim))
    without = {c for c in claims if (c, EKG.noPropositionBecause, None) in medium_graph}
    for claim in claims - without:
        assert (claim, EKG.predicate, None) in medium_graph, claim
        assert (claim, EKG.subject, None) in medium_graph and (
            (claim, EKG.object, None) in medium_graph or (claim, EKG.objectValue, None) in medium_graph), claim
    assert not any((c, EKG.predicate, None) in medium_graph for c in without)
    assert 0 < len(without) < 0.1 * len(claims)  # remarks on method, as in the essay: a few


def test_some_claims_argue_with_earlier_statements(medium_graph):
    claims = set(medium_graph.subjects(RDF.type, EKG.Claim))
    arguing = {c for c in claims for link in (EKG.supports, EKG.conflictsWith) if (c, link, None) in medium_graph}
    assert 0.05 * len(claims) <= len(arguing) <= 0.1 * len(claims)
    for link in (EKG.supports, EKG.conflictsWith):
        pairs = list(medium_graph.subject_objects(link))
        assert pairs and all(a != b and (b, EKG.quote, None) in medium_graph for a, b in pairs)


@pytest.mark.parametrize("qualifier", [EKG.negated, EKG.hedged, EKG.attitude, EKG.mode, EKG.after,
                                       EKG.eventCode, EKG.addressedTo, EKG.purpose])
def test_claims_carry_each_qualifier_of_the_model(medium_graph, qualifier):
    assert any((c, qualifier, None) in medium_graph for c in medium_graph.subjects(RDF.type, EKG.Claim))


def test_hedged_claims_give_their_cue_and_recommendations_their_addressees(medium_graph):
    hedged = list(medium_graph.subjects(EKG.hedged, Literal(True)))
    assert hedged and all(medium_graph.value(s, EKG.hedgeCue) is not None for s in hedged)
    recommended = [s for s in medium_graph.subjects(EKG.modality, EKG.Recommendation)
                   if (s, EKG.predicate, None) in medium_graph]
    assert recommended and all((s, EKG.addressedTo, None) in medium_graph for s in recommended)


def test_relation_nodes_state_their_predicate(small_graph):
    for cls, predicates in [(EKG.BilateralRelation, {EKG.hasRelationsWith, EKG.strategicPartnerOf}),
                            (EKG.Cooperation, {EKG.cooperatesWith}), (EKG.Sanction, {EKG.imposesSanctionsOn}),
                            (EKG.Demand, {EKG.demands}), (EKG.Connection, {EKG.connectedWith}),
                            (EKG.TradeFlow, {EKG.tradesWith}), (EKG.TradeShare, {EKG.tradesWith}),
                            (EKG.Conflict, {EKG.fightsWith})]:
        for node in small_graph.subjects(RDF.type, cls):
            assert set(small_graph.objects(node, EKG.predicate)) <= predicates, node
            assert small_graph.value(node, EKG.predicate) is not None, node
    for relation in small_graph.subjects(EKG.relationKind, EKG.StrategicPartnership):
        assert small_graph.value(relation, EKG.predicate) == EKG.strategicPartnerOf


def test_demands_name_the_proposition_they_demand(small_graph):
    demands = list(small_graph.subjects(RDF.type, EKG.Demand))
    assert demands
    for demand in demands:
        action = small_graph.value(demand, EKG.demandedAction)
        assert (action, RDF.type, EKG.Proposition) in small_graph
        assert small_graph.value(action, RDFS.label).language == "en"
        assert small_graph.value(action, EKG.subject) == small_graph.value(demand, EKG.addressee)
        assert small_graph.value(action, EKG.predicate) is not None
        assert small_graph.value(action, EKG.object) is not None


def test_what_entities_are_is_derived_from_claims(medium):
    built = build_dataset([medium.file], reason=False)
    data, derived = built.view("asserted"), built.graph(DERIVED_GRAPH)
    for state in data.subjects(RDF.type, EKG.State):
        assert len(list(derived.objects(state, EKG.locatedIn))) == 1, state
        assert len(list(derived.objects(state, EKG.worldEconomyRank))) <= 1, state
    for group in data.subjects(RDF.type, EKG.Group):
        assert len(list(derived.objects(group, EKG.belongsTo))) == 1, group  # as GroupShape wants
    for initiative in data.subjects(RDF.type, EKG.Initiative):
        assert any(derived.subjects(EKG.pursues, initiative)), initiative
    for prop in (EKG.worldEconomyRank, EKG.neighbourOf, EKG.strategicPartnerOf, EKG.majorTradePartner):
        assert any(derived.subject_objects(prop)), prop


def test_only_one_statement_says_what_an_entity_is(tmp_path):
    # Regression: free claims once drew ekg:belongsTo for a group that already belonged to a
    # state (GroupShape allows one), which the 100k graph of the default seed showed.
    # Read with pyoxigraph: rdflib takes seconds to parse 100k triples.
    path = generate_synthetic(tmp_path / "100k.nt", SIZES["100k"]).file
    predicate_of, subject_of = {}, {}
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
        if triple.predicate.value == str(EKG.predicate):
            predicate_of[triple.subject] = triple.object.value
        elif triple.predicate.value == str(EKG.subject):
            subject_of[triple.subject] = triple.object.value
    for predicate in (EKG.belongsTo, EKG.locatedIn, EKG.worldEconomyRank, EKG.officialOf):
        subjects = [subject_of.get(s) for s, p in predicate_of.items() if p == str(predicate)]
        assert subjects and len(subjects) == len(set(subjects)), predicate


def test_entities_carry_no_uncited_binary_triples(small_graph):
    # Names and descriptions only; memberships and offices are background facts with a source.
    allowed = {RDF.type, RDFS.label, RDFS.comment, SKOS.altLabel, ORG.memberOf, EKG.officialOf}
    for cls in (EKG.State, EKG.InternationalOrganization, EKG.Person, EKG.Group, EKG.Region, EKG.Initiative):
        for entity in small_graph.subjects(RDF.type, cls):
            assert set(small_graph.predicates(entity, None)) <= allowed, entity
    for person, state in small_graph.subject_objects(EKG.officialOf):
        assert any((fact, RDF.type, EKG.BackgroundFact) in small_graph and (fact, EKG.object, state) in small_graph
                   for fact in small_graph.subjects(EKG.subject, person)), person


@pytest.mark.parametrize("term", [EKG.reason, EKG.notOfKind, EKG.preferredOutcome, EKG.targets,
                                  EKG.succeeds, EKG.implements, EKG.pursuedBy, SCHEMA.jobTitle])
def test_terms_the_ontology_dropped_are_not_written(small_graph, term):
    assert not any(small_graph.triples((None, term, None)))


def test_values_are_typed(medium_graph):
    for prop, datatype in [(EKG.negated, "#boolean"), (EKG.hedged, "#boolean"), (EKG.objectValue, "#integer")]:
        values = list(medium_graph.objects(None, prop))
        assert values and all(v.datatype.endswith(datatype) for v in values), prop


def test_claims_carry_a_synthetic_quote_and_a_synthetic_paragraph(small_graph):
    claims = list(small_graph.subjects(RDF.type, EKG.Claim))
    assert len(claims) >= 20
    statements = {s for s in small_graph.subjects(EKG.quote, None)}
    assert set(claims) <= statements
    for s in statements:
        quote = str(small_graph.value(s, EKG.quote))
        assert quote.startswith("synthetic quote "), quote  # never text posing as the essay's
        paragraph = small_graph.value(s, EKG.paragraph)
        assert (paragraph, RDF.type, EKG.Paragraph) in small_graph
        assert str(paragraph).startswith(SYNTHETIC) and not str(paragraph).startswith(str(PARA))
        assert small_graph.value(s, EKG.modality) is not None


def test_every_resource_is_clearly_synthetic(small_graph):
    subjects = {s for s in small_graph.subjects() if isinstance(s, URIRef)}
    assert subjects and all(str(s).startswith(SYNTHETIC) for s in subjects)


def test_states_are_labelled_in_three_languages(small_graph):
    for state in small_graph.subjects(RDF.type, EKG.State):
        languages = {label.language for label in small_graph.objects(state, RDFS.label)}
        assert languages == {"en", "ru", "zh"}, state


def test_the_hubs_are_the_busiest_parties(small, small_graph):
    assert len(small.entities) == 3
    parties = [o for o in small_graph.objects(None, EKG.party)]
    busiest = max(set(parties), key=parties.count)
    assert busiest in {URIRef(e) for e in small.entities[:2]}
    for entity, label in zip(small.entities, small.labels):
        assert (URIRef(entity), RDFS.label, Literal(label, lang="en")) in small_graph


def test_the_command_writes_a_file(tmp_path, capsys):
    out = tmp_path / "s.nt"
    assert main(["--triples", "1000", "--seed", "3", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    assert 990 <= len(Graph().parse(out, format="nt")) <= 1010


def test_the_command_refuses_a_graph_too_small_to_hold_every_kind(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--triples", "500"])
    assert caught.value.code == 2
    assert "at least 1000" in capsys.readouterr().err


def test_the_command_rejects_two_sizes(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--size", "2k", "--triples", "10"])
    assert caught.value.code == 2
