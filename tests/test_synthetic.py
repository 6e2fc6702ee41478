"""Synthetic data: the essay graph's shape, deterministic by seed, of the size asked for, valid."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from eurasia_kg.graph.dataset import build_dataset
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
