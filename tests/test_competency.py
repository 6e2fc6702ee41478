"""The competency questions: SPARQL queries in tests/competency/ with exact answers from the essay."""

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

import eurasia_kg.server
from eurasia_kg.graph.dataset import INFERRED_GRAPH
from eurasia_kg.graph.query import run
from eurasia_kg.ontology import EKG, EKGID, ORG, PARA

#: The competency questions ship with the service as the query editor's examples.
QUERIES = Path(eurasia_kg.server.__file__).resolve().parent / "examples"

AUTHOR = EKGID.ZhaoHuasheng


def ask(built, name, which=None):
    """Run tests/competency/NAME.rq over the dataset (or one view) and return rows as dicts."""
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    target = built.dataset if which is None else built.view(which)
    result = run(target, text)
    return [{str(k): v for k, v in row.asdict().items()} for row in result]


def column(rows, name):
    return {row.get(name) for row in rows}


def test_cq01_actors_by_class(built):
    rows = ask(built, "cq01-actors-by-class")
    by_class = {}
    for row in rows:
        by_class.setdefault(row["class"], set()).add(row["actor"])
    assert by_class[EKG.State] == {EKGID.China, EKGID.Russia, EKGID.UnitedStates, EKGID.Ukraine}
    assert by_class[EKG.InternationalOrganization] == {
        EKGID.EuropeanUnion, EKGID.UnitedNations, EKGID.SCO, EKGID.EurasianEconomicUnion}
    assert by_class[EKG.Organization] == {EKGID.PrimakovGrammarSchool}
    assert by_class[EKG.Person] == {AUTHOR, EKGID.SergeyLavrov, EKGID.VladimirPutin}
    assert by_class[EKG.Group] == {
        EKGID.EuropeanPoliticalCircles, EKGID.EuropeanPublic, EKGID.ChinasElite,
        EKGID.ChinesePublic, EKGID.ChineseFinancialInstitutions, EKGID.ChineseCompanies,
        EKGID.RussianAcademics, EKGID.SomeAcademics, EKGID.InternationalCommunity}
    assert by_class[EKG.Region] == {
        EKGID.Europe, EKGID.TheWest, EKGID.EurasianContinent, EKGID.GreaterEurasia}
    # Background-only states (SCO members the essay never names) are not "named by the essay".
    assert EKGID.Kazakhstan not in column(rows, "actor")


def test_cq02_sanctions_on_russia_and_secondary_sanctions(built):
    rows = ask(built, "cq02-sanctions")
    on_russia = [r for r in rows if r["target"] == EKGID.Russia]
    assert {r["imposer"] for r in on_russia} == {EKGID.UnitedStates, EKGID.EuropeanUnion}
    assert {r["status"] for r in on_russia} == {EKG.Imposed}
    assert {r["kind"] for r in on_russia} == {EKG.EconomicSanctions}
    secondary = [r for r in rows if r["kind"] == EKG.SecondarySanctions]
    assert {r["target"] for r in secondary} == {
        EKGID.ChineseFinancialInstitutions, EKGID.ChineseCompanies}
    assert {r["status"] for r in secondary} == {EKG.Potential}
    assert all(r.get("imposer") is None for r in secondary)  # the essay names no imposer
    assert {r["paragraph"] for r in rows} == {PARA.p9}


def test_cq03_trade_with_eu_and_us_in_2021(built):
    rows = {r["partner"]: r for r in ask(built, "cq03-trade-2021")}
    assert set(rows) == {EKGID.EuropeanUnion, EKGID.UnitedStates}
    eu, us = rows[EKGID.EuropeanUnion], rows[EKGID.UnitedStates]
    assert eu["amount"].toPython() == Decimal("820000000000")
    assert eu["amount"].datatype == XSD.decimal
    assert eu.get("atLeast") is None
    assert eu["growth"] == Literal(Decimal("19.0"))
    assert us.get("amount") is None  # "more than $750 billion" is a lower bound
    assert us["atLeast"].toPython() == Decimal("750000000000")
    assert us["growth"].toPython() == Decimal("20")
    assert {eu["currency"], us["currency"]} == {Literal("USD")}


def test_cq03_share_of_chinas_foreign_trade(built):
    rows = ask(built, "cq03b-trade-share")
    assert column(rows, "partner") == {EKGID.EuropeanUnion, EKGID.UnitedStates}
    assert column(rows, "atLeast") == {Literal(Decimal("25.0"))}
    assert column(rows, "share") == {None}
    assert column(rows, "unit") == {Literal("P1")}
    assert column(rows, "qualifier") == {EKG.MoreThan}


def test_cq04_strategic_partnership_since_1996_not_an_alliance(built):
    rows = ask(built, "cq04-partnership")
    assert len(rows) == 1
    row = rows[0]
    assert row["relation"] == EKGID.ChinaRussiaStrategicPartnership
    assert row["kind"] == EKG.StrategicPartnership
    assert row["since"] == Literal("1996", datatype=XSD.gYear)
    assert row["notKind"] == EKG.Alliance
    assert row["claimParagraph"] == PARA.p23
    assert str(row["claimQuote"]) == "This model is a strategic partnership, not an alliance"
    assert row["claimModality"] == EKG.Assessment


def test_cq05_connections_and_most_fitting_platform(built):
    rows = ask(built, "cq05-integration")
    assert column(rows, "connected") == {
        EKGID.BeltAndRoadInitiative, EKGID.EurasianEconomicUnion, EKGID.GreaterEurasianPartnership}
    assert column(rows, "connectionModality") == {EKG.Recommendation}
    assert column(rows, "platform") == {EKGID.SCO}
    assert column(rows, "goal") == {EKGID.RegionalEconomicIntegration}
    assert {str(r) for r in column(rows, "reason")} == {
        "this organization has the largest regional representation",
        "is fully open for cooperation"}
    assert column(rows, "platformModality") == {EKG.Assessment}


def test_cq06_what_lavrov_and_putin_said(built):
    rows = ask(built, "cq06-reported-speech")
    said = {(r["speaker"], str(r["quote"])) for r in rows}
    assert said == {
        (EKGID.SergeyLavrov, "Russia is not trying to invent new international relations and new rules"),
        (EKGID.VladimirPutin, "Russia is not going to cut itself off from global economy"),
        (EKGID.VladimirPutin, "Russia will remain open"),
    }
    where = {r["speaker"]: r["where"] for r in rows}
    assert where == {EKGID.SergeyLavrov: EKGID.PrimakovGrammarSchool,
                     EKGID.VladimirPutin: EKGID.FirstEurasianEconomicForum}
    assert column(rows, "date") == {Literal("2022-05", datatype=XSD.gYearMonth)}
    assert column(rows, "dateBasis") == {EKG.InferredDate}  # "May of this year"
    assert {r["paragraph"] for r in rows if r["speaker"] == EKGID.SergeyLavrov} == {PARA.p14}
    assert {r["paragraph"] for r in rows if r["speaker"] == EKGID.VladimirPutin} == {PARA.p19}


def test_cq07_revolutionary_and_reformist_approaches(built):
    rows = {r["actor"]: r for r in ask(built, "cq07-approaches")}
    assert set(rows) == {EKGID.Russia, EKGID.China}
    assert rows[EKGID.Russia]["approach"] == EKGID.RevolutionaryApproach
    assert str(rows[EKGID.Russia]["seeks"]) == "quick and radical results"
    assert rows[EKGID.China]["approach"] == EKGID.ReformistApproach
    assert str(rows[EKGID.China]["seeks"]) == "gradual evolution"
    assert rows[EKGID.China]["influence"] == EKGID.ModerationTradition
    # contrastsWith is asserted one way and symmetric: both directions answer.
    assert rows[EKGID.Russia]["contrastsWith"] == EKGID.ReformistApproach
    assert rows[EKGID.China]["contrastsWith"] == EKGID.RevolutionaryApproach


@pytest.mark.parametrize("statement, modality", [
    (EKGID["claim-p23-5"], EKG.Assessment),          # "a strategic partnership, not an alliance"
    (EKGID["claim-p15-2"], EKG.Assessment),          # "It appears to me that Russia leans ..."
    (EKGID["claim-p18-4"], EKG.Assessment),          # the SCO "is the most fitting platform"
    (EKGID["claim-p22-9"], EKG.Recommendation),      # "it is vital to avoid escalating ..."
    (EKGID["claim-p18-2"], EKG.Recommendation),      # "should step up their efforts"
    (EKGID["claim-p19-4"], EKG.Recommendation),      # "They should be more open"
    (EKGID.TradeChinaEU2021, EKG.ReportedFact),
    (EKGID.USSanctionsOnRussia, EKG.ReportedFact),
    (EKGID["claim-p14-5"], EKG.ReportedSpeech),      # Lavrov
    (EKGID["claim-p19-7"], EKG.ReportedSpeech),      # Putin
    (EKGID.EuropeanDemandCondemnRussia, EKG.ReportedSpeech),
])
def test_cq08_modality_of_statements(built, statement, modality):
    rows = ask(built, "cq08-modalities")
    assert {r["modality"] for r in rows if r["statement"] == statement} == {modality}


def test_cq08_every_modality_is_used_and_only_others_speak(built):
    rows = ask(built, "cq08-modalities")
    assert column(rows, "modality") == {
        EKG.ReportedFact, EKG.Assessment, EKG.Recommendation, EKG.ReportedSpeech}
    for row in rows:
        if row["modality"] in (EKG.Assessment, EKG.Recommendation):
            assert row["assertedBy"] == AUTHOR, row["statement"]
        if row["modality"] == EKG.ReportedSpeech:
            assert row["assertedBy"] != AUTHOR, row["statement"]


def test_cq09_every_statement_has_paragraph_quote_asserter_modality(built):
    rows = ask(built, "cq09-evidence")
    assert len(rows) >= 150
    incomplete = [r["statement"] for r in rows
                  if None in (r.get("number"), r.get("quote"), r.get("assertedBy"), r.get("modality"))]
    assert incomplete == []
    trade = [r for r in rows if r["statement"] == EKGID.TradeChinaEU2021]
    assert [(r["number"].toPython(), str(r["quote"]), r["assertedBy"]) for r in trade] == [
        (10, "In 2021, China’s trade with the EU increased 19% to $820 billion", AUTHOR)]


def test_cq10_demands_of_china(built):
    rows = ask(built, "cq10-demands")
    us = {str(r["action"]) for r in rows if r["demander"] == EKGID.UnitedStates}
    assert us == {"join the anti-Russian side", "join the US and the EU’s sanctions against Russia"}
    europe = {str(r["action"]) for r in rows if r["demander"] == EKGID.EuropeanPoliticalCircles}
    assert europe == {"condemn Russia’s actions"}
    # The EU's demand is reported, but the slip "China does not Russia" hides its content.
    eu = [r for r in rows if r["demander"] == EKGID.EuropeanUnion]
    assert [r.get("action") for r in eu] == [None]
    assert "since China does not Russia" in str(eu[0]["quote"])


def test_cq11_spheres_of_cooperation(built):
    rows = ask(built, "cq11-spheres")
    assert column(rows, "sphere") == {
        EKG.PoliticalSphere, EKG.EconomicSphere, EKG.EnergySphere,
        EKG.ScientificTechnicalSphere, EKG.HumanitarianSphere}


def test_cq12_members_of_an_organisation_through_inference(built):
    members = {(r["organisation"], r["member"]) for r in ask(built, "cq12-members-of")}
    assert {m for o, m in members if o == EKGID.SCO} >= {EKGID.China, EKGID.Russia}
    # Asserted only as "X org:memberOf SCO": the hasMember direction comes from owl:inverseOf.
    asserted = {(r["organisation"], r["member"]) for r in ask(built, "cq12-members-of", "asserted")}
    assert not {m for o, m in asserted if o == EKGID.SCO}
    inferred = built.graph(INFERRED_GRAPH)
    assert (EKGID.SCO, ORG.hasMember, EKGID.China) in inferred


def test_cq12_organisations_of_a_member_through_inference(built):
    rows = {(r["member"], r["organisation"]) for r in ask(built, "cq12-organisations-of")}
    assert {o for m, o in rows if m == EKGID.Russia} == {EKGID.SCO, EKGID.EurasianEconomicUnion}
    assert {o for m, o in rows if m == EKGID.China} == {EKGID.SCO}
    # The EAEU is asserted as "EAEU org:hasMember X": memberOf is inferred.
    asserted = {(r["member"], r["organisation"])
                for r in ask(built, "cq12-organisations-of", "asserted")}
    assert (EKGID.Russia, EKGID.EurasianEconomicUnion) not in asserted
    assert (EKGID.Russia, ORG.memberOf, EKGID.EurasianEconomicUnion) in built.graph(INFERRED_GRAPH)


def test_membership_is_background_with_its_own_source(built):
    from eurasia_kg.graph.dataset import BACKGROUND_GRAPH, ESSAY_GRAPH
    essay = built.graph(ESSAY_GRAPH)
    assert not list(essay.triples((None, ORG.memberOf, None)))
    assert not list(essay.triples((None, ORG.hasMember, None)))
    background = built.graph(BACKGROUND_GRAPH)
    facts = set(background.subjects(None, EKG.BackgroundFact)) | set(
        background.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), EKG.BackgroundFact))
    assert facts
    dct_source = URIRef("http://purl.org/dc/terms/source")
    assert all(background.value(f, dct_source) is not None for f in facts)
