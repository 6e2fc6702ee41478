"""The competency questions: the SPARQL queries of server/examples/ with exact answers from the essay.

They run on pyoxigraph, the engine the service answers with, over the dataset as the service
loads it (the N-Quads of every named graph; the default graph is their union). They are also
the query editor's examples, so each is run on the service's /sparql as a reader would and
must read for people: text beside every IRI, no duplicate rows, an order.
"""

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

import eurasia_kg.server
from eurasia_kg.graph.dataset import INFERRED_GRAPH
from eurasia_kg.ontology import EKG, EKGID, ORG, PARA
from eurasia_kg.graph.terms import to_rdflib as from_ox

#: The competency questions ship with the service as the query editor's examples.
QUERIES = Path(eurasia_kg.server.__file__).resolve().parent / "examples"

AUTHOR = EKGID.ZhaoHuasheng
ID = EKGID


def claim(name):
    return EKGID[f"claim-{name}"]


@pytest.fixture(scope="module")
def stores(built):
    """pyoxigraph stores of the dataset: all graphs, and the asserted graphs only."""
    out = {}
    for which in ("all", "asserted"):
        store = ox.Store()
        data = built.as_dataset(which).serialize(format="nquads", encoding="utf-8") \
            if which == "asserted" else built.dataset.serialize(format="nquads", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_QUADS)
        out[which] = store
    return out


def ask(stores, name, which="all"):
    """Run server/examples/NAME.rq on pyoxigraph and return its rows as dicts of rdflib terms."""
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    result = stores[which].query(text, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: from_ox(row[n]) for n in names if row[n] is not None} for row in result]


def rows_of(stores, name):
    rows = ask(stores, name)
    assert rows, f"{name} has no answer"
    return rows


def column(rows, name):
    return {row.get(name) for row in rows}


def test_cq01_actors_by_class(stores):
    rows = ask(stores, "cq01-actors-by-class")
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
        EKGID.RussianAcademics, EKGID.SomeAcademics, EKGID.InternationalCommunity,
        EKGID.People, EKGID.OtherCountries, EKGID.AntiRussianSide, EKGID.PartOfChinasEstablishment}
    assert by_class[EKG.Region] == {
        EKGID.Europe, EKGID.TheWest, EKGID.EurasianContinent, EKGID.GreaterEurasia}
    # Background-only states (SCO members the essay never names) are not "named by the essay".
    assert EKGID.Kazakhstan not in column(rows, "actor")


def test_cq02_sanctions_on_russia_and_secondary_sanctions(stores):
    rows = ask(stores, "cq02-sanctions")
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


def test_cq03_trade_with_eu_and_us_in_2021(stores):
    rows = {r["partner"]: r for r in ask(stores, "cq03-trade-2021")}
    assert set(rows) == {EKGID.EuropeanUnion, EKGID.UnitedStates}
    eu, us = rows[EKGID.EuropeanUnion], rows[EKGID.UnitedStates]
    assert eu["amount"].toPython() == Decimal("820000000000")
    assert eu["amount"].datatype == XSD.decimal
    assert eu.get("atLeast") is None
    # pyoxigraph answers with the decimal's canonical form ("19" for 19.0): compare values.
    assert eu["growth"].toPython() == Decimal("19") and eu["growth"].datatype == XSD.decimal
    assert us.get("amount") is None  # "more than $750 billion" is a lower bound
    assert us["atLeast"].toPython() == Decimal("750000000000")
    assert us["growth"].toPython() == Decimal("20")
    assert {eu["currency"], us["currency"]} == {Literal("USD")}


def test_cq03_share_of_chinas_foreign_trade(stores):
    rows = ask(stores, "cq03b-trade-share")
    assert column(rows, "partner") == {EKGID.EuropeanUnion, EKGID.UnitedStates}
    assert {(v.toPython(), v.datatype) for v in column(rows, "atLeast")} == {(Decimal("25"), XSD.decimal)}
    assert column(rows, "share") == {None}
    assert column(rows, "unit") == {Literal("P1")}
    assert column(rows, "qualifier") == {EKG.MoreThan}


def test_cq04_strategic_partnership_since_1996_not_an_alliance(stores):
    rows = rows_of(stores, "cq04-partnership")
    assert {r["partnership"] for r in rows} == {EKGID.ChinaRussiaStrategicPartnership}
    assert {r["since"] for r in rows} == {Literal("1996", datatype=XSD.gYear)}
    # The relations' model: a strategic partnership, and (negated) not an alliance, both the
    # author's assessment in paragraph 23, each a proposition of its own.
    answers = {(r["kind"], str(r.get("negation", "")) == "not") for r in rows}
    assert answers == {(EKG.StrategicPartnership, False), (EKG.Alliance, True)}
    assert {r["relations"] for r in rows} == {EKGID.ChinaRussiaRelations}
    assert {r["paragraph"] for r in rows} == {PARA.p23}
    assert {str(r["quote"]) for r in rows} == {"This model is a strategic partnership, not an alliance"}
    assert {r["modality"] for r in rows} == {EKG.Assessment}


def test_cq05_connections_and_most_fitting_platform(stores):
    rows = rows_of(stores, "cq05-integration")
    assert column(rows, "connected") == {
        EKGID.BeltAndRoadInitiative, EKGID.EurasianEconomicUnion, EKGID.GreaterEurasianPartnership}
    assert column(rows, "connectionModality") == {EKG.Recommendation}
    assert column(rows, "platform") == {EKGID.SCO}
    assert column(rows, "goal") == {EKGID.RegionalEconomicIntegration}
    assert column(rows, "claim") == {claim("p18-4")}
    # The reasons are statements of their own that support the claim (AIF: inference).
    assert column(rows, "reason") == {claim("p18-5"), claim("p18-6")}
    assert {str(r) for r in column(rows, "reasonQuote")} == {
        "this organization has the largest regional representation",
        "is fully open for cooperation"}


def test_cq06_what_lavrov_and_putin_said(stores):
    rows = ask(stores, "cq06-reported-speech")
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


def test_cq07_revolutionary_and_reformist_approaches(stores):
    rows = {r["actor"]: r for r in rows_of(stores, "cq07-approaches")}
    assert set(rows) == {EKGID.Russia, EKGID.China}
    assert rows[EKGID.Russia]["approach"] == EKGID.RevolutionaryApproach
    assert str(rows[EKGID.Russia]["prefersLabel"]) == "quick and radical results"
    assert rows[EKGID.China]["approach"] == EKGID.ReformistApproach
    assert str(rows[EKGID.China]["prefersLabel"]) == "gradual evolution"
    assert rows[EKGID.China]["influence"] == EKGID.ModerationTradition
    assert rows[EKGID.Russia].get("influence") is None
    # contrastsWith is stated once and symmetric: both directions answer.
    assert rows[EKGID.Russia]["contrastsWith"] == EKGID.ReformistApproach
    assert rows[EKGID.China]["contrastsWith"] == EKGID.RevolutionaryApproach
    # The author hedges the whole comparison.
    assert {str(r["hedge"]) for r in rows.values()} == {"It appears to me"}


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
def test_cq08_modality_of_statements(stores, statement, modality):
    rows = ask(stores, "cq08-modalities")
    assert {r["modality"] for r in rows if r["statement"] == statement} == {modality}


def test_cq08_every_modality_is_used_and_only_others_speak(stores):
    rows = ask(stores, "cq08-modalities")
    assert column(rows, "modality") == {
        EKG.ReportedFact, EKG.Assessment, EKG.Recommendation, EKG.ReportedSpeech}
    for row in rows:
        if row["modality"] in (EKG.Assessment, EKG.Recommendation):
            assert row["assertedBy"] == AUTHOR, row["statement"]
        if row["modality"] == EKG.ReportedSpeech:
            assert row["assertedBy"] != AUTHOR, row["statement"]


def test_cq09_every_statement_has_paragraph_quote_asserter_modality(stores):
    rows = ask(stores, "cq09-evidence")
    assert len(rows) >= 150
    incomplete = [r["statement"] for r in rows
                  if None in (r.get("number"), r.get("quote"), r.get("assertedBy"), r.get("modality"))]
    assert incomplete == []
    trade = [r for r in rows if r["statement"] == EKGID.TradeChinaEU2021]
    assert [(r["number"].toPython(), str(r["quote"]), r["assertedBy"]) for r in trade] == [
        (10, "In 2021, China’s trade with the EU increased 19% to $820 billion", AUTHOR)]


def test_cq10_demands_of_china(stores):
    rows = rows_of(stores, "cq10-demands")
    us = {(str(r["actionText"]), r["does"], r["whom"]) for r in rows if r["demander"] == EKGID.UnitedStates}
    assert us == {
        ("join the anti-Russian side", EKG.joins, EKGID.AntiRussianSide),
        ("join the US and the EU’s sanctions against Russia", EKG.joins, EKGID.USSanctionsOnRussia),
        ("join the US and the EU’s sanctions against Russia", EKG.joins, EKGID.EUSanctionsOnRussia)}
    assert {r["doer"] for r in rows if "doer" in r} == {EKGID.China}
    assert {str(r["code"]) for r in rows if r["demander"] == EKGID.UnitedStates} == {"102"}
    europe = {(str(r["actionText"]), r["does"], r["whom"])
              for r in rows if r["demander"] == EKGID.EuropeanPoliticalCircles}
    assert europe == {("condemn Russia’s actions", EKG.condemns, EKGID.Russia)}
    # The EU's demand is reported, but the slip "China does not Russia" hides its content.
    eu = [r for r in rows if r["demander"] == EKGID.EuropeanUnion]
    assert [r.get("action") for r in eu] == [None]
    assert "since China does not Russia" in str(eu[0]["quote"])
    assert {r["modality"] for r in rows if r["demander"] != EKGID.UnitedStates} == {EKG.ReportedSpeech}


def test_cq11_spheres_of_cooperation(stores):
    rows = ask(stores, "cq11-spheres")
    assert column(rows, "sphere") == {
        EKG.PoliticalSphere, EKG.EconomicSphere, EKG.EnergySphere,
        EKG.ScientificTechnicalSphere, EKG.HumanitarianSphere}


def test_cq12_members_of_an_organisation_through_inference(stores, built):
    members = {(r["organisation"], r["member"]) for r in ask(stores, "cq12-members-of")}
    assert {m for o, m in members if o == EKGID.SCO} >= {EKGID.China, EKGID.Russia}
    # Asserted only as "X org:memberOf SCO": the hasMember direction comes from owl:inverseOf.
    asserted = {(r["organisation"], r["member"]) for r in ask(stores, "cq12-members-of", "asserted")}
    assert not {m for o, m in asserted if o == EKGID.SCO}
    inferred = built.graph(INFERRED_GRAPH)
    assert (EKGID.SCO, ORG.hasMember, EKGID.China) in inferred


def test_cq12_organisations_of_a_member_through_inference(stores, built):
    rows = {(r["member"], r["organisation"]) for r in ask(stores, "cq12-organisations-of")}
    assert {o for m, o in rows if m == EKGID.Russia} == {EKGID.SCO, EKGID.EurasianEconomicUnion}
    assert {o for m, o in rows if m == EKGID.China} == {EKGID.SCO}
    # The EAEU is asserted as "EAEU org:hasMember X": memberOf is inferred.
    asserted = {(r["member"], r["organisation"])
                for r in ask(stores, "cq12-organisations-of", "asserted")}
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


# ------------------------------------------------------------------ answered only by propositions

def test_cq13_who_pressures_threatens_demands_of_or_sanctions_whom(stores):
    rows = rows_of(stores, "cq13-coercion")
    actions = {(r["actor"], r["action"], r["target"], str(r.get("code", "")), r["number"].toPython())
               for r in rows}
    assert actions == {
        (ID.UnitedStates, EKG.pressures, ID.China, "", 4),
        (ID.UnitedStates, EKG.threatens, ID.China, "130", 4),
        (ID.UnitedStates, EKG.demands, ID.China, "102", 4),
        (ID.EuropeanPoliticalCircles, EKG.demands, ID.China, "102", 6),
        (ID.EuropeanUnion, EKG.demands, ID.China, "100", 6),
        (ID.UnitedStates, EKG.imposesSanctionsOn, ID.Russia, "163", 9),
        (ID.EuropeanUnion, EKG.imposesSanctionsOn, ID.Russia, "163", 9),
    }
    # Readers get names, not only IRIs.
    assert {str(r["actionLabel"]) for r in rows} == {
        "puts pressure on", "threatens", "demands of", "imposes sanctions on"}


def test_cq14_what_the_sanctions_cause_and_for_whom(stores):
    rows = rows_of(stores, "cq14-sanction-effects")
    effects = {(r["sanction"], r["effect"], r["whom"], str(r.get("hedge", ""))) for r in rows}
    primary = {ID.USSanctionsOnRussia, ID.EUSanctionsOnRussia}
    secondary, firms = ID.SecondarySanctionsRisk, {ID.ChineseFinancialInstitutions, ID.ChineseCompanies}
    assert effects == (
        {(s, EKG.createsOpportunitiesFor, ID.ChinaRussiaEconomicCooperation, "") for s in primary}
        | {(s, EKG.createsRisksFor, ID.China, "") for s in primary}
        | {(secondary, EKG.limits, f, "would") for f in firms}
        | {(secondary, EKG.createsRisksFor, f, "") for f in firms})
    assert {r["number"].toPython() for r in rows} == {9}


def test_cq15_recommendations_with_addressees_and_reasons(stores):
    rows = rows_of(stores, "cq15-recommendations")
    addressees = {}
    reasons = {}
    purposes = {}
    for r in rows:
        addressees.setdefault(r["recommendation"], set()).add(r["addressee"])
        reasons.setdefault(r["recommendation"], set())
        if "reason" in r:
            reasons[r["recommendation"]].add(r["reason"])
        if "purpose" in r:
            purposes[r["recommendation"]] = str(r["purposeText"])
    both = {ID.China, ID.Russia}
    assert addressees == {
        claim("p12-6"): {ID.InternationalCommunity}, claim("p16-1"): both, claim("p17-1"): {ID.People},
        claim("p18-1"): both, claim("p18-2"): both, claim("p18-3"): both, claim("p18-7"): both,
        claim("p19-2"): both, claim("p19-3"): both, claim("p19-4"): both, claim("p19-5"): both,
        claim("p19-6"): both, claim("p21-9"): {ID.InternationalCommunity},
        claim("p21-10"): {ID.InternationalCommunity}, claim("p22-6"): both, claim("p22-7"): both,
        claim("p22-8"): both, claim("p22-9"): {ID.InternationalCommunity},
        ID.BRIEurasianConnection: both,
    }
    assert reasons[claim("p22-6")] == {claim("p22-3"), claim("p22-4"), claim("p22-5")}
    assert reasons[claim("p22-9")] == {claim("p22-10"), claim("p22-12")}
    assert reasons[claim("p16-1")] == {claim("p16-2"), claim("p16-4"), claim("p16-5")}
    assert reasons[claim("p17-1")] == {claim(f"p17-{k}") for k in (2, 3, 4, 5, 7)}
    assert reasons[claim("p19-3")] == {claim("p19-7"), claim("p20-2"), claim("p20-3"), claim("p20-4")}
    assert reasons[claim("p12-6")] == {claim("p12-7")}
    assert reasons[claim("p18-1")] == set()  # the essay gives none
    assert purposes == {
        claim("p16-1"): "to effectively respond and adapt to new conditions",
        claim("p18-2"): "so that connecting the Belt and Road initiative with the Eurasian Economic "
                        "Union, and the Greater Eurasian Partnership would bring more tangible results",
        claim("p18-7"): "thereby improving its level and quality",
    }


def test_cq16_what_others_said_as_opposed_to_the_author(stores):
    rows = rows_of(stores, "cq16-others-said")
    said = {(r["holder"], r["statement"], r["subject"], r["predicate"], r.get("object"),
             str(r.get("negation", "")) == "not") for r in rows}
    assert said == {
        (ID.SergeyLavrov, claim("p14-5"), ID.Russia, EKG.creates, ID.NewInternationalRules, True),
        (ID.VladimirPutin, claim("p19-7"), ID.Russia, EKG.closesOffFrom, ID.GlobalEconomy, True),
        (ID.VladimirPutin, claim("p19-8"), ID.Russia, EKG.hasCharacteristic, EKG.Open, False),
        (ID.RussianAcademics, claim("p14-1"), ID.OldWorldOrder, EKG.hasTrend, EKG.Collapsing, False),
        (ID.SomeAcademics, claim("p21-2"), ID.TwoParallelGlobalMarkets, EKG.explains,
         ID.CurrentMarketSituation, False),
        (ID.SomeAcademics, claim("p21-13"), ID.SomeAcademics, EKG.refersTo, ID.TwoParallelGlobalMarkets,
         False),
        (ID.People, claim("p16-8"), ID.ChinaRussiaEconomicCooperation, EKG.signifies,
         ID.ChineseSupportForRussia, False),
        (ID.EuropeanPoliticalCircles, ID.EuropeanDemandCondemnRussia, ID.EuropeanPoliticalCircles,
         EKG.demands, ID.China, False),
        (ID.EuropeanUnion, ID.EUDemandOnChina, ID.EuropeanUnion, EKG.demands, ID.China, False),
    }
    assert AUTHOR not in column(rows, "holder")


def test_cq17_views_the_author_rejects(stores):
    rows = rows_of(stores, "cq17-rejected-views")
    rejected = {(r["view"], r["holder"], r["answer"]) for r in rows}
    assert rejected == {
        (claim("p16-8"), ID.People, claim(a)) for a in ("p16-6", "p16-9", "p16-10", "p17-1", "p17-2", "p17-3")
    } | {(claim("p21-13"), ID.SomeAcademics, claim("p21-3"))}


def test_cq18_what_china_wants_intends_tries_and_avoids(stores):
    rows = rows_of(stores, "cq18-china-aims")
    aims = {(r["attitude"], r["action"], r["whom"], r["number"].toPython()) for r in rows}
    assert aims == {
        (EKG.Wants, EKG.developsRelationsWith, ID.Russia, 5),
        (EKG.SeeksToAvoid, EKG.worsensRelationsWith, ID.UnitedStates, 5),
        (EKG.Intends, EKG.developsRelationsWith, ID.Russia, 12),
        (EKG.Tries, EKG.improvesRelationsWith, ID.UnitedStates, 12),
        (EKG.SeeksToAvoid, EKG.sacrificesRelationsWith, ID.Russia, 12),
    }


def test_cq19_what_is_deteriorating_growing_or_stable(stores):
    rows = rows_of(stores, "cq19-trends")
    trends = {}
    for r in rows:
        trends.setdefault(r["trend"], set()).add((r["subject"], r["number"].toPython()))
    assert trends == {
        EKG.Deteriorating: {(ID.GlobalGovernance, 2), (ID.ChinasImageInEurope, 6), (ID.ChinaUSRelations, 10),
                            (ID.ChinaEURelations, 10), (ID.RussiaEuropeRelations, 22)},
        EKG.Growing: {(ID.TradeChinaEU2021, 10), (ID.TradeChinaUS2021, 10)},
        EKG.Stable: {(ID.ChinaRussiaRelations, 23), (ID.ChinaRussiaRelations, 24)},
        EKG.Polarizing: {(ID.InternationalCommunity, 2)},
        EKG.Intensifying: {(ID.MultipleCirculations, 21)},
        EKG.Ongoing: {(ID.RussiaUkraineConflict, 22)},
    }


def test_cq20_what_the_essay_denies(stores):
    rows = rows_of(stores, "cq20-denials")
    denied = {(r["statement"], r["subject"], r["predicate"], r.get("object")) for r in rows}
    expected_claims = {"p3-6", "p6-5", "p12-5", "p12-6", "p12-7", "p14-2", "p14-5", "p16-5", "p16-10",
                       "p16-11", "p16-12", "p17-1", "p17-2", "p17-3", "p17-5", "p19-2", "p19-3",
                       "p19-7", "p21-3", "p21-9", "p21-10", "p22-1", "p22-8", "p22-9", "p22-12",
                       "p23-9", "p23-12", "p23-13"}
    assert {r["statement"] for r in rows} == {claim(c) for c in expected_claims}
    assert (claim("p23-12"), ID.ChinaRussiaRelations, EKG.relationKind, EKG.Alliance) in denied
    assert (claim("p16-10"), ID.ChinaRussiaEconomicCooperation, EKG.tiedTo, ID.RussiaUkraineConflict) in denied
    assert (claim("p19-7"), ID.Russia, EKG.closesOffFrom, ID.GlobalEconomy) in denied


def test_cq21_hedged_statements_and_their_words(stores, paragraphs):
    rows = rows_of(stores, "cq21-hedges")
    hedges = {(r["statement"], str(r["cue"])) for r in rows}
    assert hedges == {
        (ID.SecondarySanctionsRisk, "may"), (claim("p9-3"), "would"), (claim("p11-7"), "Generally"),
        (claim("p12-8"), "would"), (claim("p16-2"), "In a way"), (claim("p23-3"), "could"),
        (claim("p23-4"), "it appears to be"), (claim("p16-10"), "directly"), (claim("p17-4"), "largely"),
    } | {(claim(f"p15-{k}"), "It appears to me") for k in (2, 3, 4, 5, 6)}
    # Each cue is the essay's own words, in the paragraph the statement cites.
    for r in rows:
        assert str(r["cue"]) in paragraphs[r["number"].toPython()], r["statement"]


def test_cq22_what_challenges_china_russia_relations(stores):
    rows = rows_of(stores, "cq22-challenges")
    challenges = {(r["challenge"], r.get("sphere")) for r in rows}
    assert challenges == {
        (ID.ExternalChallenges, None),
        (ID.PolarizationOfInternationalCommunity, EKG.PoliticalSphere),
        (ID.GlobalFragmentation, EKG.EconomicSphere), (ID.Sanctions, EKG.EconomicSphere),
        (ID.RegionalizationOfGlobalEconomy, EKG.EconomicSphere),
        (ID.SlideToHotWar, EKG.SecuritySphere),
        (ID.ReIdeologization, EKG.InternationalRelationsSphere),
        (claim("p11-1"), None),  # the split in China's public opinion
    }


def test_cq23_why_china_russia_relations_remain_stable(stores):
    rows = rows_of(stores, "cq23-why-stable")
    assert column(rows, "reason") == {
        claim("p23-1"), claim("p23-2"), claim("p23-3"), claim("p23-13"), claim("p24-1"), claim("p24-2")}


def test_cq24_before_during_and_after_the_conflict(stores):
    rows = rows_of(stores, "cq24-time")
    timeline = {(r["when"], r["statement"], r["subject"], r["predicate"]) for r in rows}
    assert timeline == {
        (EKG.before, claim("p4-4"), ID.UnitedStates, EKG.pursues),
        (EKG.before, claim("p4-5"), ID.UnitedStates, EKG.drivesWedgeBetween),
        (EKG.during, claim("p4-1"), ID.UnitedStates, EKG.pressures),
        (EKG.after, claim("p4-6"), ID.UnitedStates, EKG.threatens),
        (EKG.after, ID.EuropeanDemandCondemnRussia, ID.EuropeanPoliticalCircles, EKG.demands),
        (EKG.after, claim("p16-7"), ID.People, EKG.interprets),
    }


def test_cq25_a_shortcut_leads_back_to_its_quotes(stores):
    rows = rows_of(stores, "cq25-shortcut-evidence")
    evidence = {(r["partner"], r["statement"], r["number"].toPython()) for r in rows}
    assert evidence == {
        (ID.UnitedStates, claim("p5-1"), 5), (ID.Europe, claim("p7-1"), 7),
        (ID.UnitedStates, claim("p10-4"), 10), (ID.EuropeanUnion, claim("p10-4"), 10)}
    assert {r["sphere"] for r in rows if r["statement"] == claim("p5-1")} == {
        EKG.PoliticalSphere, EKG.EconomicSphere, EKG.SecuritySphere}


def test_cq26_actions_as_cameo_event_data(stores):
    rows = rows_of(stores, "cq26-cameo-events")
    events = {(r["source"], str(r["code"]), r["target"]) for r in rows}
    assert events == {
        (ID.China, "050", ID.Russia), (ID.Russia, "050", ID.China),
        (ID.China, "061", ID.Russia), (ID.Russia, "061", ID.China),
        (ID.EuropeanPoliticalCircles, "102", ID.China), (ID.EuropeanUnion, "100", ID.China),
        (ID.UnitedStates, "102", ID.China), (ID.UnitedStates, "130", ID.China),
        (ID.UnitedStates, "163", ID.Russia), (ID.EuropeanUnion, "163", ID.Russia),
        (ID.Russia, "190", ID.Ukraine), (ID.Ukraine, "190", ID.Russia),
    }
    # CAMEO codes are strings with their leading zero, as event datasets write them.
    assert {r["code"].datatype for r in rows} == {None}


def test_cq27_claims_without_a_proposition_say_why(stores):
    rows = rows_of(stores, "cq27-no-proposition")
    assert column(rows, "claim") == {claim("p1-1"), claim("p1-2"), claim("p3-1")}
    assert all(len(str(r["because"])) > 30 for r in rows)


# ------------------------------------------------------------------ for people, on the service

#: A column holding IRIs is read by the column beside it, named after it: ?actor by ?actorLabel
#: (a label or a name), ?action by ?actionText (a sentence, the essay's words), ?reason by
#: ?reasonQuote (the quote). No exceptions.
READERS = ("Label", "Text", "Quote")
ORDERED = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


@pytest.mark.parametrize("name", sorted(p.stem for p in QUERIES.glob("*.rq")))
def test_every_example_reads_for_people_on_the_endpoint(client, name):
    """Each example, run on /sparql: answers, no duplicate rows, ordered, text beside every IRI."""
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    response = client.post("/sparql", data={"query": text},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data[:300]
    answer = response.get_json()
    columns, rows = answer["head"]["vars"], answer["results"]["bindings"]
    assert rows, f"{name} has no answer"
    seen = Counter(tuple(sorted((k, v["type"], v["value"], v.get("xml:lang"), v.get("datatype"))
                                for k, v in row.items())) for row in rows)
    assert [row for row, n in seen.items() if n > 1] == [], "duplicate rows"
    assert ORDERED.search(text), "no ORDER BY"
    for row in rows:
        for column, value in row.items():
            if value["type"] != "uri":
                continue
            readers = [column + suffix for suffix in READERS if column + suffix in columns]
            assert readers, f"?{column} holds IRIs but no column reads it ({', '.join(column + s for s in READERS)})"
            assert any(reader in row and row[reader]["type"] == "literal" for reader in readers), \
                f"?{column} is {value['value']} with no text beside it"
    # Portable: Virtuoso answers a projected xsd:boolean as 1/0 (and EXISTS as an integer).
    assert not any(v.get("datatype") == str(XSD.boolean) for row in rows for v in row.values())
    assert not re.search(r"BIND\s*\(\s*(NOT\s+)?EXISTS", text, re.IGNORECASE)
