"""The SHACL shapes: one invalid fixture per constraint fails with the expected result.

Every fixture in tests/fixtures/invalid/ is a standalone Turtle file (it holds the entities it
needs, with their types and labels) whose first line says what is wrong with it. Validated on
its own with the ontology (build_dataset + validate_dataset, OWL 2 RL included), it must give
exactly one result: the expected focus node, result path and sh:message. tests/fixtures/
valid-minimal.ttl is a small graph that satisfies every shape.
"""

import dataclasses
import json
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from eurasia_kg.graph import validation
from eurasia_kg.graph.dataset import build_dataset
from eurasia_kg.graph.validation import SH, shapes_graph, validate_dataset, validate_graph
from eurasia_kg.server import cli
from eurasia_kg.shapes import shapes_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid-minimal.ttl"

EKG = "https://w3id.org/eurasia-kg/ontology#"
ID = "https://w3id.org/eurasia-kg/id/"
PARA = ID + "essay/"
SHAPES = "https://w3id.org/eurasia-kg/shapes#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
# rdflib's XSD namespace warns whenever pytest inspects this module's names.
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

# The sh:message strings of shapes/shapes.ttl, verbatim.
M_ENGLISH_LABEL = "Needs an English label (rdfs:label with @en)."
M_LABEL_IS_TEXT = "A label is a non-empty string."
M_WIKIDATA = ("skos:exactMatch links to a Wikidata entity IRI "
              "(http://www.wikidata.org/entity/Q...).")
M_REPORTED_SPEECH = ("Reported speech needs ekg:reportedBy (the author who reports it) and an "
                     "ekg:assertedBy other than the reporter.")
M_ONE_OF = ("A claim has exactly one of a proposition (ekg:predicate) and a note saying why it has "
            "none (ekg:noPropositionBecause).")
M_HAS_SUBJECT = "A proposition with a predicate names its subject (ekg:subject)."
M_HAS_OBJECT = ("A proposition with a predicate names its object (ekg:object) or value "
                "(ekg:objectValue).")
M_PREDICATE = "ekg:predicate is one property of ekg:PredicateScheme."
M_DOMAIN = "Each subject (ekg:subject or a sub-property) is an instance of the predicate's rdfs:domain."
M_EVENT_CODE = ("ekg:eventCode takes a concept of ekg:CameoScheme whose skos:notation is its CAMEO "
                "code (2 to 4 digits).")
M_EMBEDDED_ROLE = "ekg:{} names a statement or an embedded proposition (ekg:Proposition)."
M_START_YEAR = 'ekg:startYear is one xsd:gYear, written as a year ("1996").'
M_DATE = ('ekg:date is one xsd:gYear, xsd:gYearMonth or xsd:date, written in the lexical form of '
          'its datatype ("2022", "2022-05", "2022-05-20").')


class NotDetected(AssertionError):
    """The fixture conforms although it breaks a constraint: the constraint cannot fire."""


class ExtraResults(AssertionError):
    """The expected result is there, but the report holds more results than that one."""


Case = namedtuple("Case", "fixture shape focus path message")

CASES = [
    # ------------------------------------------------------------------ StatementShape
    Case("statement-shape-missing-paragraph.ttl", "StatementShape", ID + "claim-p3-1",
         EKG + "paragraph",
         "A statement cites exactly one paragraph of the essay (ekg:paragraph)."),
    Case("statement-shape-missing-quote.ttl", "StatementShape", ID + "claim-p3-1",
         EKG + "quote", "A statement needs a verbatim quote (ekg:quote, a plain string)."),
    Case("statement-shape-missing-asserted-by.ttl", "StatementShape", ID + "claim-p3-1",
         EKG + "assertedBy", "A statement says who asserts it (ekg:assertedBy, an ekg:Actor)."),
    Case("statement-shape-asserted-by-literal.ttl", "StatementShape", ID + "claim-p3-1",
         EKG + "assertedBy", "A statement says who asserts it (ekg:assertedBy, an ekg:Actor)."),
    Case("statement-shape-asserted-by-non-actor.ttl", "StatementShape", ID + "claim-p3-1",
         EKG + "assertedBy", "A statement says who asserts it (ekg:assertedBy, an ekg:Actor)."),
    Case("statement-shape-modality-not-in-list.ttl", "StatementShape", ID + "claim-p3-1",
         EKG + "modality",
         "A statement has exactly one modality: ekg:ReportedFact, ekg:Assessment, "
         "ekg:Recommendation or ekg:ReportedSpeech."),
    Case("statement-shape-two-reporters.ttl", "StatementShape", ID + "claim-p14-5",
         EKG + "reportedBy",
         "ekg:reportedBy names one ekg:Actor, the author who reports the statement."),
    Case("statement-shape-reported-speech-without-reported-by.ttl", "StatementShape",
         ID + "claim-p14-5", EKG + "reportedBy", M_REPORTED_SPEECH),
    Case("statement-shape-reported-speech-reporter-is-speaker.ttl", "StatementShape",
         ID + "claim-p14-5", EKG + "reportedBy", M_REPORTED_SPEECH),
    Case("statement-shape-reported-by-on-assessment.ttl", "StatementShape", ID + "claim-p3-1",
         EKG + "reportedBy",
         "Only reported speech has ekg:reportedBy: the author's own statements are asserted by "
         "the author."),
    Case("statement-shape-recommendation-without-addressee.ttl", "StatementShape",
         ID + "claim-p18-2", EKG + "addressedTo",
         "A recommendation with a proposition names whom it is addressed to (ekg:addressedTo, "
         "the actors who should act)."),
    Case("statement-shape-quote-not-verbatim.ttl", "StatementShape", ID + "claim-p3-1",
         EKG + "quote",
         "The quote does not occur verbatim (whitespace normalised) in the text of the paragraph "
         "it cites."),
    # ------------------------------------------------------------------ ClaimShape
    Case("claim-shape-claim-text-not-english.ttl", "ClaimShape", ID + "claim-p3-1",
         EKG + "claimText",
         "A claim has exactly one text (ekg:claimText), an English (@en) sentence."),
    Case("claim-shape-missing-about.ttl", "ClaimShape", ID + "claim-p3-1", EKG + "about",
         "A claim says what it is about (ekg:about, one or more IRIs)."),
    Case("claim-shape-uttered-in-without-reported-speech.ttl", "ClaimShape", ID + "claim-p14-5",
         EKG + "utteredIn",
         "Only reported speech can be uttered in a speech (ekg:utteredIn needs modality "
         "ekg:ReportedSpeech)."),
    Case("claim-shape-no-proposition.ttl", "ClaimShape", ID + "claim-p3-1", EKG + "predicate",
         M_ONE_OF),
    Case("claim-shape-proposition-and-no-proposition-because.ttl", "ClaimShape",
         ID + "claim-p3-1", EKG + "noPropositionBecause", M_ONE_OF),
    Case("claim-shape-no-proposition-because-not-english.ttl", "ClaimShape", ID + "claim-p1-2",
         EKG + "noPropositionBecause",
         "ekg:noPropositionBecause is one English (@en) sentence saying why the claim has no "
         "proposition."),
    Case("claim-shape-missing-subject.ttl", "ClaimShape", ID + "claim-p3-1", EKG + "subject",
         M_HAS_SUBJECT),
    Case("claim-shape-missing-object.ttl", "ClaimShape", ID + "claim-p3-1", EKG + "object",
         M_HAS_OBJECT),
    # ------------------------------------------------------------------ propositions
    Case("proposition-roles-shape-predicate-outside-scheme.ttl", "PropositionRolesShape",
         ID + "claim-p4-1", EKG + "predicate", M_PREDICATE),
    Case("proposition-roles-shape-two-predicates.ttl", "PropositionRolesShape",
         ID + "claim-p4-1", EKG + "predicate", M_PREDICATE),
    Case("proposition-roles-shape-subject-a-literal.ttl", "PropositionRolesShape",
         ID + "claim-p4-1", EKG + "subject",
         "ekg:subject is an IRI (an entity, a concept or another statement)."),
    Case("proposition-roles-shape-object-a-literal.ttl", "PropositionRolesShape",
         ID + "claim-p4-1", EKG + "object", "ekg:object is an IRI; a typed value is ekg:objectValue."),
    Case("proposition-roles-shape-subject-outside-domain.ttl", "PropositionRolesShape",
         ID + "claim-p4-1", EKG + "subject", M_DOMAIN),
    Case("proposition-roles-shape-speaker-outside-domain.ttl", "PropositionRolesShape",
         ID + "LavrovPrimakovSpeech", EKG + "speaker", M_DOMAIN),
    Case("proposition-roles-shape-object-outside-range.ttl", "PropositionRolesShape",
         ID + "claim-p4-1", EKG + "object",
         "Each object (ekg:object or a sub-property) is an instance of the predicate's rdfs:range."),
    Case("proposition-roles-shape-object-with-datatype-predicate.ttl", "PropositionRolesShape",
         ID + "claim-p20-1", EKG + "object",
         "An object (ekg:object or a sub-property) needs a predicate that is an "
         "owl:ObjectProperty; a typed value is ekg:objectValue."),
    Case("proposition-roles-shape-negated-not-boolean.ttl", "PropositionRolesShape",
         ID + "claim-p3-1", EKG + "negated", "ekg:negated is at most one xsd:boolean."),
    Case("proposition-roles-shape-attitude-outside-scheme.ttl", "PropositionRolesShape",
         ID + "claim-p3-1", EKG + "attitude", "ekg:attitude takes a concept of ekg:AttitudeScheme."),
    Case("proposition-roles-shape-mode-outside-scheme.ttl", "PropositionRolesShape",
         ID + "claim-p3-1", EKG + "mode", "ekg:mode takes a concept of ekg:ModeScheme."),
    Case("proposition-roles-shape-event-code-outside-scheme.ttl", "PropositionRolesShape",
         ID + "claim-p4-1", EKG + "eventCode", M_EVENT_CODE),
    Case("proposition-roles-shape-event-code-notation-not-digits.ttl", "PropositionRolesShape",
         ID + "claim-p4-1", EKG + "eventCode", M_EVENT_CODE),
    *(Case(f"proposition-roles-shape-{role}-a-state.ttl", "PropositionRolesShape",
           ID + "claim-p4-1", EKG + role, M_EMBEDDED_ROLE.format(role))
      for role in ("condition", "purpose", "means")),
    *(Case(f"proposition-roles-shape-{role}-a-state.ttl", "PropositionRolesShape",
           ID + "claim-p4-1", EKG + role, f"ekg:{role} names an ekg:Event.")
      for role in ("after", "before", "during")),
    Case("object-value-shape-an-iri.ttl", "ObjectValueShape", ID + "claim-p20-1",
         EKG + "objectValue", "ekg:objectValue is a literal; an entity is ekg:object."),
    Case("object-value-shape-with-object-predicate.ttl", "ObjectValueShape",
         ID + "claim-p16-2", EKG + "objectValue",
         "A value (ekg:objectValue) needs a predicate that is an owl:DatatypeProperty; an entity "
         "is ekg:object."),
    Case("object-value-shape-outside-range.ttl", "ObjectValueShape",
         ID + "claim-p20-1", EKG + "objectValue",
         "A value (ekg:objectValue) has the datatype of the predicate's rdfs:range."),
    Case("hedge-shape-hedged-not-boolean.ttl", "HedgeShape",
         ID + "claim-p3-1", EKG + "hedged", "ekg:hedged is at most one xsd:boolean."),
    Case("hedge-shape-cue-language-tagged.ttl", "HedgeShape",
         ID + "claim-p3-1", EKG + "hedgeCue",
         "ekg:hedgeCue is a plain string, the hedging words of the paragraph."),
    Case("hedge-shape-cue-without-hedged.ttl", "HedgeShape",
         ID + "claim-p3-1", EKG + "hedgeCue",
         "A hedge (ekg:hedgeCue) belongs to a hedged proposition (ekg:hedged true)."),
    Case("hedge-shape-hedged-without-cue.ttl", "HedgeShape",
         ID + "claim-p3-1", EKG + "hedgeCue",
         "A hedged proposition (ekg:hedged true) gives the hedging words (ekg:hedgeCue)."),
    Case("proposition-shape-missing-english-label.ttl", "PropositionShape",
         ID + "claim-p4-5-means", RDFS_LABEL, M_ENGLISH_LABEL),
    Case("proposition-shape-missing-predicate.ttl", "PropositionShape", ID + "claim-p4-5-means",
         EKG + "predicate", "An embedded proposition has a predicate (ekg:predicate)."),
    Case("proposition-shape-missing-object.ttl", "PropositionShape", ID + "claim-p4-5-means",
         EKG + "object", M_HAS_OBJECT),
    Case("proposition-shape-with-paragraph.ttl", "PropositionShape", ID + "claim-p4-5-means",
         EKG + "paragraph",
         "An embedded proposition cites no paragraph: it is read in the quote of the statement "
         "that embeds it."),
    Case("proposition-shape-with-quote.ttl", "PropositionShape", ID + "claim-p4-5-means",
         EKG + "quote",
         "An embedded proposition carries no quote: it is read in the quote of the statement "
         "that embeds it."),
    Case("proposition-shape-not-embedded.ttl", "PropositionShape", ID + "claim-p4-5-means", None,
         "An embedded proposition is embedded: a statement or proposition names it with "
         "ekg:condition, ekg:purpose, ekg:means, ekg:demandedAction, ekg:subject or ekg:object."),
    Case("addressed-to-shape-on-an-assessment.ttl", "AddressedToShape", ID + "claim-p3-1",
         EKG + "addressedTo",
         "Only a recommendation (ekg:modality ekg:Recommendation) is addressed to someone "
         "(ekg:addressedTo)."),
    Case("addressed-to-shape-addressee-not-an-actor.ttl", "AddressedToShape", ID + "claim-p18-2",
         EKG + "addressedTo",
         "ekg:addressedTo names an ekg:Actor, one the recommendation says should act."),
    # ------------------------------------------------------------------ the argument
    Case("argument-link-shape-supports-a-state.ttl", "ArgumentLinkShape", ID + "claim-p3-1",
         EKG + "supports",
         "ekg:supports names the statement this one supports (an ekg:Statement)."),
    Case("argument-link-shape-conflicts-with-a-state.ttl", "ArgumentLinkShape",
         ID + "claim-p3-1", EKG + "conflictsWith",
         "ekg:conflictsWith names the statement this one conflicts with (an ekg:Statement)."),
    Case("argument-link-shape-supports-itself.ttl", "ArgumentLinkShape", ID + "claim-p3-1",
         EKG + "supports", "A statement does not support or conflict with itself."),
    Case("argument-link-shape-link-from-an-idea.ttl", "ArgumentLinkShape",
         ID + "UnipolarHegemony", EKG + "supports",
         "Only a statement (an ekg:Statement) supports or conflicts with another statement."),
    # ------------------------------------------------------------------ relation nodes
    Case("bilateral-relation-shape-one-party.ttl", "BilateralRelationShape",
         ID + "ChinaRussiaStrategicPartnership", EKG + "party",
         "A bilateral relation has exactly two parties (ekg:party), each an ekg:Actor."),
    Case("bilateral-relation-shape-kind-outside-scheme.ttl", "BilateralRelationShape",
         ID + "ChinaRussiaStrategicPartnership", EKG + "relationKind",
         "ekg:relationKind takes a concept of ekg:RelationKindScheme."),
    Case("cooperation-shape-missing-sphere.ttl", "CooperationShape",
         ID + "ChinaRussiaEconomicCooperation", EKG + "sphere",
         "Cooperation names at least one sphere (ekg:sphere, a concept of ekg:SphereScheme)."),
    Case("sanction-shape-imposer-is-target.ttl", "SanctionShape", ID + "USSanctionsOnRussia",
         EKG + "sanctionTarget", "A sanction's imposer cannot be its target."),
    Case("sanction-shape-imposed-without-imposer.ttl", "SanctionShape",
         ID + "USSanctionsOnRussia", EKG + "imposedBy",
         "An imposed sanction names who imposed it (ekg:imposedBy)."),
    Case("sanction-shape-missing-target.ttl", "SanctionShape", ID + "USSanctionsOnRussia",
         EKG + "sanctionTarget",
         "A sanction has at least one target (ekg:sanctionTarget, an ekg:Actor)."),
    Case("demand-shape-demand-of-itself.ttl", "DemandShape",
         ID + "USDemandJoinAntiRussianSide", EKG + "addressee",
         "An actor does not make a demand of itself (ekg:demandedBy equals ekg:addressee)."),
    Case("demand-shape-missing-addressee.ttl", "DemandShape",
         ID + "USDemandJoinAntiRussianSide", EKG + "addressee",
         "A demand has one ekg:addressee, an ekg:Actor."),
    Case("demand-shape-demanded-action-a-string.ttl", "DemandShape",
         ID + "USDemandJoinAntiRussianSide", EKG + "demandedAction",
         "ekg:demandedAction is at most one embedded proposition (an ekg:Proposition)."),
    Case("connection-shape-connects-a-state.ttl", "ConnectionShape",
         ID + "BRIEurasianConnection", EKG + "connects",
         "A connection links at least two initiatives, policies or organisations "
         "(ekg:connects)."),
    # ------------------------------------------------------------------ economic figures
    Case("trade-flow-shape-growth-percent-integer.ttl", "TradeFlowShape",
         ID + "TradeChinaEU2021", EKG + "growthPercent",
         "ekg:growthPercent is one xsd:decimal (write 19.0, not 19)."),
    Case("trade-flow-shape-growth-without-basis.ttl", "TradeFlowShape", ID + "TradeChinaEU2021",
         EKG + "growthBasis",
         "A growth percentage says what it was measured on (ekg:growthBasis; ekg:UnstatedBasis "
         "where the essay does not say)."),
    Case("trade-flow-shape-growth-basis-not-a-basis.ttl", "TradeFlowShape",
         ID + "TradeChinaEU2021", EKG + "growthBasis",
         "ekg:growthBasis is one concept of ekg:GrowthBasisScheme (an ekg:GrowthBasis, such as "
         "ekg:UnstatedBasis)."),
    Case("trade-share-shape-missing-share.ttl", "TradeShareShape",
         ID + "ShareEUUSInChinaTrade", EKG + "share",
         "A trade share has one ekg:share, a schema:QuantitativeValue."),
    Case("monetary-amount-shape-value-integer.ttl", "MonetaryAmountShape",
         ID + "TradeChinaEU2021-amount", SCHEMA + "value",
         "schema:value of an amount is one non-negative xsd:decimal (write 820000000000.0)."),
    Case("monetary-amount-shape-no-value.ttl", "MonetaryAmountShape",
         ID + "TradeChinaEU2021-amount", None,
         "A monetary amount has schema:value or schema:minValue."),
    Case("monetary-amount-shape-currency-not-iso.ttl", "MonetaryAmountShape",
         ID + "TradeChinaEU2021-amount", SCHEMA + "currency",
         'An amount has one currency (schema:currency), an ISO 4217 code such as "USD".'),
    Case("quantitative-value-shape-percent-out-of-range.ttl", "QuantitativeValueShape",
         ID + "ShareEUUSInChinaTrade-share", SCHEMA + "value",
         "A percentage (unit P1) lies between 0 and 100."),
    Case("quantitative-value-shape-missing-unit.ttl", "QuantitativeValueShape",
         ID + "ShareEUUSInChinaTrade-share", SCHEMA + "unitCode",
         'A quantitative value has one unit (schema:unitCode, UN/CEFACT code; "P1" is percent).'),
    Case("quantitative-value-shape-no-value.ttl", "QuantitativeValueShape",
         ID + "ShareEUUSInChinaTrade-share", None,
         "A quantitative value has schema:value or schema:minValue."),
    # ------------------------------------------------------------------ the essay
    Case("essay-shape-missing-title.ttl", "EssayShape", ID + "essay", DCT + "title",
         "The essay has a title (dct:title)."),
    Case("essay-shape-creator-not-person.ttl", "EssayShape", ID + "essay", DCT + "creator",
         "The essay has an author (dct:creator, an ekg:Person)."),
    Case("paragraph-shape-number-zero.ttl", "ParagraphShape", PARA + "p0",
         EKG + "paragraphNumber",
         "A paragraph has one number (ekg:paragraphNumber), a positive xsd:integer."),
    Case("paragraph-shape-not-part-of-essay.ttl", "ParagraphShape", PARA + "p3",
         DCT + "isPartOf", "A paragraph is part of one essay (dct:isPartOf)."),
    # ------------------------------------------------------------------ actors
    Case("state-shape-missing-english-label.ttl", "StateShape", ID + "China", RDFS_LABEL,
         M_ENGLISH_LABEL),
    Case("state-shape-wikidata-page-iri.ttl", "StateShape", ID + "China", SKOS + "exactMatch",
         M_WIKIDATA),
    Case("international-organization-shape-member-not-actor.ttl",
         "InternationalOrganizationShape", ID + "UnitedNations", ORG + "hasMember",
         "Members of an international organisation (org:hasMember) are ekg:Actors."),
    Case("organization-shape-missing-english-label.ttl", "OrganizationShape",
         ID + "PrimakovGrammarSchool", RDFS_LABEL, M_ENGLISH_LABEL),
    Case("person-shape-job-title-plain-string.ttl", "PersonShape", ID + "SergeyLavrov",
         SCHEMA + "jobTitle", "schema:jobTitle is a language-tagged string."),
    Case("group-shape-belongs-to-two.ttl", "GroupShape", ID + "ChinasElite", EKG + "belongsTo",
         "A group belongs to at most one state or region (ekg:belongsTo, an ekg:Actor)."),
    Case("region-shape-empty-label.ttl", "RegionShape", ID + "Europe", RDFS_LABEL,
         M_LABEL_IS_TEXT),
    # ------------------------------------------------------------------ policies, ideas, documents
    Case("policy-shape-missing-label.ttl", "PolicyShape", ID + "EconomicDecoupling", RDFS_LABEL,
         M_ENGLISH_LABEL),
    Case("initiative-shape-missing-description.ttl", "InitiativeShape",
         ID + "BeltAndRoadInitiative", "http://www.w3.org/2000/01/rdf-schema#comment",
         "An initiative has an English description (rdfs:comment with @en)."),
    Case("idea-shape-missing-english-label.ttl", "IdeaShape", ID + "UnipolarHegemony",
         RDFS_LABEL, M_ENGLISH_LABEL),
    Case("phenomenon-shape-missing-english-label.ttl", "PhenomenonShape",
         ID + "GlobalFragmentation", RDFS_LABEL, M_ENGLISH_LABEL),
    Case("phenomenon-shape-empty-label.ttl", "PhenomenonShape", ID + "GlobalFragmentation",
         RDFS_LABEL, M_LABEL_IS_TEXT),
    Case("treaty-shape-wikidata-https-entity.ttl", "TreatyShape", ID + "UNCharter",
         SKOS + "exactMatch", M_WIKIDATA),
    # ------------------------------------------------------------------ events
    Case("conflict-shape-one-party.ttl", "ConflictShape", ID + "RussiaUkraineConflict",
         EKG + "party", "A conflict has at least two parties (ekg:party), each an ekg:Actor."),
    Case("forum-shape-edition-zero.ttl", "ForumShape", ID + "FirstEurasianEconomicForum",
         EKG + "edition", "ekg:edition is one positive xsd:integer."),
    Case("speech-shape-no-venue.ttl", "SpeechShape", ID + "LavrovPrimakovSpeech", None,
         "A speech says where it was given (ekg:venue or ekg:partOfEvent)."),
    Case("speech-shape-missing-speaker.ttl", "SpeechShape", ID + "LavrovPrimakovSpeech",
         EKG + "speaker", "A speech has one speaker (ekg:speaker, an ekg:Person)."),
    Case("speech-shape-date-basis-not-in-list.ttl", "SpeechShape", ID + "LavrovPrimakovSpeech",
         EKG + "dateBasis", "ekg:dateBasis is ekg:StatedDate or ekg:InferredDate."),
    # ------------------------------------------------------------------ dates, on any node
    Case("date-shape-start-year-integer.ttl", "DateShape", ID + "ChinaRussiaStrategicPartnership",
         EKG + "startYear", M_START_YEAR),
    Case("date-shape-start-year-not-a-year.ttl", "DateShape", ID + "claim-p3-1",
         EKG + "startYear", M_START_YEAR),
    Case("date-shape-two-start-years.ttl", "DateShape", ID + "claim-p3-1", EKG + "startYear",
         M_START_YEAR),
    Case("date-shape-membership-start-year-bad-time-zone.ttl", "DateShape",
         ID + "membership-SCO-China", EKG + "startYear", M_START_YEAR),
    Case("date-shape-year-two-digits.ttl", "DateShape", ID + "TradeChinaEU2021", EKG + "year",
         'ekg:year is one xsd:gYear, written as a year ("2021").'),
    Case("date-shape-inferred-year-roman.ttl", "DateShape", ID + "essay", EKG + "inferredYear",
         'ekg:inferredYear is one xsd:gYear, written as a year ("2022").'),
    Case("date-shape-date-plain-string.ttl", "DateShape", ID + "FirstEurasianEconomicForum",
         EKG + "date", M_DATE),
    Case("date-shape-date-month-thirteen.ttl", "DateShape", ID + "LavrovPrimakovSpeech",
         EKG + "date", M_DATE),
    Case("date-shape-date-year-month-typed-as-year.ttl", "DateShape", ID + "LavrovPrimakovSpeech",
         EKG + "date", M_DATE),
    # ------------------------------------------------------------------ background, memberships
    Case("background-fact-shape-missing-source.ttl", "BackgroundFactShape",
         ID + "membership-SCO-China", DCT + "source",
         "A background fact names its own source (dct:source, an IRI)."),
    Case("background-fact-shape-with-quote.ttl", "BackgroundFactShape",
         ID + "membership-SCO-China", EKG + "quote",
         "A background fact is not from the essay: it carries no quote."),
    Case("membership-shape-organization-is-a-state.ttl", "MembershipShape",
         ID + "membership-Russia-China", ORG + "organization",
         "A membership has one organisation (org:organization, an org:Organization)."),
    # ------------------------------------------------------------------ controlled vocabularies
    Case("concept-shape-missing-definition.ttl", "ConceptShape", ID + "MaritimeSphere",
         SKOS + "definition", "A concept has a definition (skos:definition)."),
    Case("concept-shape-missing-english-pref-label.ttl", "ConceptShape", ID + "MaritimeSphere",
         SKOS + "prefLabel", "A concept has an English skos:prefLabel."),
    Case("concept-scheme-shape-missing-pref-label.ttl", "ConceptSchemeShape",
         ID + "AgreementKindScheme", SKOS + "prefLabel", "A concept scheme has a skos:prefLabel."),
]


def _params(cases):
    """pytest params of the cases, named after their fixtures."""
    return [pytest.param(case, id=case.fixture[:-4]) for case in cases]


#: Builds of the fixtures, made once by test_invalid_fixture_gives_exactly_the_expected_result
#: and reused by the in-process CLI test (build_dataset is deterministic).
_BUILT = {}
_REPORTS = {}


def build(path: Path):
    """Build the dataset of one fixture (ontology + that file only), once per module run."""
    if path not in _BUILT:
        _BUILT[path] = build_dataset([path])
    return _BUILT[path]


def validated(path: Path):
    """Validate the build of one fixture (validate_dataset), once per module run."""
    if path not in _REPORTS:
        _REPORTS[path] = validate_dataset(build(path))
    return _REPORTS[path]


@pytest.fixture(scope="module", autouse=True)
def _forget_builds():
    """Let the builds go once this module is done: kept, they are a million objects (400 MB)
    that every later test module's garbage collections would scan again."""
    yield
    _BUILT.clear()
    _REPORTS.clear()


def expected_tuple(case):
    return (case.focus, case.path, case.message)


def _str(term):
    return None if term is None else str(term)


def top_level_results(report_graph: Graph) -> list:
    """(focus, path, message, sourceShape) of each sh:result of the SHACL report (no sh:detail)."""
    report = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
    one = report_graph.value
    return [(_str(one(r, SH.focusNode)), _str(one(r, SH.resultPath)),
             _str(one(r, SH.resultMessage)), one(r, SH.sourceShape))
            for r in report_graph.objects(report, SH.result)]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_file(), format="turtle")


@pytest.fixture(scope="module")
def validated_shapes() -> Graph:
    """The shapes exactly as validation uses them (same blank nodes as the reports' sourceShape)."""
    return shapes_graph()


TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


def target_shapes(shapes: Graph) -> set:
    """The node shapes that have a target (a class, or the subjects of a property, ...)."""
    return {s for s in shapes.subjects(RDF.type, SH.NodeShape)
            if any((s, target, None) in shapes for target in TARGETS)}


# ---------------------------------------------------------------------------------------- tests


def test_valid_minimal_conforms():
    report = validate_dataset(build(VALID))
    assert report.conforms, report.to_text()
    assert report.violations == []
    # It exercises the quote check: its paragraph carries text, and every quote is in it.
    assert (None, URIRef(EKG + "paragraphText"), None) in Graph().parse(VALID)


@pytest.mark.parametrize("case", _params(CASES))
def test_invalid_fixture_gives_exactly_the_expected_result(case, validated_shapes):
    path = INVALID / case.fixture
    report = validated(path)
    if report.conforms:
        raise NotDetected(f"{case.fixture} conforms")

    # The SHACL report itself: its top-level results (sh:result, not sh:detail) are the expected
    # one, and come from the shape the fixture is listed for or one of its property shapes.
    top = top_level_results(report.graph)
    assert {t[:3] for t in top} == {expected_tuple(case)}, top
    shape = URIRef(SHAPES + case.shape)
    own = {shape, *validated_shapes.objects(shape, SH.property)}
    assert all(t[3] in own for t in top), f"result from a shape not reachable from {shape}: {top}"

    # What validate_dataset returns: exactly that one violation.
    got = {(_str(v.focus), _str(v.path), v.message) for v in report.violations}
    assert expected_tuple(case) in got, report.to_text()
    if got != {expected_tuple(case)} or len(report.violations) != 1:
        raise ExtraResults(report.to_text())
    assert report.violations[0].severity == "Violation"


def test_every_fixture_file_is_in_the_table():
    listed = [c.fixture for c in CASES]
    assert len(listed) == len(set(listed)), "a fixture is listed twice"
    on_disk = sorted(p.name for p in INVALID.glob("*.ttl"))
    assert on_disk == sorted(listed)
    for path in INVALID.glob("*.ttl"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 10, f"{path.name}: no leading comment"


def test_every_node_shape_has_an_invalid_fixture(shapes):
    targets = target_shapes(shapes)
    assert len(targets) >= 38
    covered = {URIRef(SHAPES + c.shape) for c in CASES}
    assert covered - targets == set(), "the table names shapes that are not target node shapes"
    assert targets - covered == set(), "node shapes without an invalid fixture"
    for case in CASES:
        assert case.fixture.startswith(_kebab(case.shape) + "-"), case.fixture


def _kebab(name: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


def test_every_sparql_constraint_has_a_fixture(shapes):
    constraints = set(shapes.objects(None, SH.sparql))
    messages = {str(shapes.value(c, SH.message)) for c in constraints}
    assert len(constraints) >= 24
    assert len(messages) == len(constraints), "two SPARQL constraints share a message"
    assert messages - {c.message for c in CASES} == set()


def test_every_constraint_has_a_message(shapes):
    missing = []
    property_shapes = set(shapes.objects(None, SH.property)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape))
    for ps in property_shapes:
        if shapes.value(ps, SH.message) is None:
            missing.append(("property shape", ps, shapes.value(ps, SH.path)))
    for sparql in shapes.objects(None, SH.sparql):
        if shapes.value(sparql, SH.message) is None:
            missing.append(("SPARQL constraint", sparql, None))
    node_level = (SH["or"], SH["and"], SH.xone, SH["not"], SH["class"], SH.datatype, SH.nodeKind,
                  SH["in"], SH.hasValue, SH.node, SH.closed, SH.pattern)
    for ns in shapes.subjects(RDF.type, SH.NodeShape):
        constrained = any((ns, p, None) in shapes for p in node_level)
        if constrained and shapes.value(ns, SH.message) is None:
            missing.append(("node shape with node-level constraints", ns, None))
    assert missing == []
    # The check looks at what it should: the property shapes, the SPARQL constraints, and the
    # node shapes whose sh:or stands on its own (monetary amount, quantitative value, speech).
    assert len(property_shapes) > 50
    assert {URIRef(SHAPES + n) for n in ("MonetaryAmountShape", "QuantitativeValueShape",
                                          "SpeechShape")} <= set(shapes.subjects(SH["or"], None))


@pytest.mark.parametrize("case", _params(CASES))
def test_cli_exits_1_on_each_invalid_fixture(case, monkeypatch, capsys):
    """In process: each fixture on its own makes `validate` exit 1 and prints its message.

    The dataset built and the report worked out by the table's test are reused (both are
    deterministic, and that test checks the report); the CLI's own options, report and exit
    code run for real. The subprocess tests below run the command end to end, validation
    included.
    """
    path = INVALID / case.fixture
    # The table's build, made here when its test has not run first in this process (-k, a
    # worker of its own): its ill-typed warnings belong to the build, not to the CLI.
    built = build(path)
    capsys.readouterr()
    real_build = cli.build_dataset
    calls = []

    def reuse(data_files=None, **kwargs):
        calls.append((data_files, kwargs.get("validate")))
        if data_files == [path]:
            # What build_dataset(validate=True) gives: the build with its report (validate_dataset's).
            return dataclasses.replace(built, report=validated(path))
        return real_build(data_files, **kwargs)

    monkeypatch.setattr(cli, "build_dataset", reuse)
    code = cli.main(["validate", "-q", str(path)])
    out, err = capsys.readouterr()
    assert calls == [([path], True)]  # one build, which validates
    if code == 0:
        raise NotDetected(out)
    assert code == 1, err
    assert out.startswith("Does not conform")
    assert case.message in out
    assert err == ""


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "eurasia_kg.server.cli", "validate", *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def test_cli_subprocess_exits_0_on_valid_minimal(tmp_path):
    done = _run("-q", str(VALID), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Conforms")


def test_cli_subprocess_exits_1_on_an_invalid_fixture(tmp_path):
    case = next(c for c in CASES if c.fixture == "trade-flow-shape-growth-percent-integer.ttl")
    done = _run(str(INVALID / case.fixture), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Does not conform: 1 result(s)." in done.stdout
    assert case.message in done.stdout
    assert case.focus in done.stdout
    assert "validated in" in done.stderr  # without -q, progress goes to stderr


BROKEN = """\
@prefix ekg:   <https://w3id.org/eurasia-kg/ontology#> .
@prefix ekgid: <https://w3id.org/eurasia-kg/id/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .

ekgid:China a ekg:State ;
    rdfs:label "China"@en .
ekgid:Russia a ekg:State ;; rdfs:label .
ekgid:Ukraine a ekg:State .
"""


def test_cli_exits_2_on_a_turtle_syntax_error(tmp_path):
    broken = tmp_path / "broken-on-line-7.ttl"
    broken.write_text(BROKEN, encoding="utf-8")
    done = _run("-q", str(broken), cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "broken-on-line-7.ttl" in done.stderr
    assert "line 7" in done.stderr
    assert done.stdout == ""
    # The valid files given with it do not rescue it.
    assert cli.main(["validate", "-q", str(VALID), str(broken)]) == 2


def test_validate_json_and_turtle_reports_parse(capsys):
    case = next(c for c in CASES if c.fixture == "demand-shape-demand-of-itself.ttl")
    path = str(INVALID / case.fixture)

    assert cli.main(["validate", "-q", "--format", "json", path]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["conforms"] is False
    assert [(r["focusNode"], r["resultPath"], r["message"]) for r in data["results"]] == [
        expected_tuple(case)]
    assert data["results"][0]["value"] == ID + "UnitedStates"
    assert data["results"][0]["sourceShape"] == SHAPES + case.shape

    assert cli.main(["validate", "-q", "--format", "turtle", path]) == 1
    report_graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    report = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
    assert report is not None
    assert report_graph.value(report, SH.conforms).toPython() is False
    assert [t[:3] for t in top_level_results(report_graph)] == [expected_tuple(case)]

    assert cli.main(["validate", "-q", "--format", "json", str(VALID)]) == 0
    assert json.loads(capsys.readouterr().out) == {"conforms": True, "results": []}


@pytest.mark.parametrize("lexical", ["2022-W20-5", "2022-05-20T10:00", "2022-05-20+05"])
def test_an_xsd_date_outside_the_xsd_lexical_space_is_reported(lexical):
    """rdflib reads these as dates, XML Schema does not: the lexical pattern catches them.

    Parsed Turtle never carries them (rdflib rewrites a date it reads into its canonical form),
    so they are built in memory, as a program adding triples would.
    """
    date = Literal(lexical, datatype=XSD_DATE, normalize=False)
    assert not date.ill_typed and str(date) == lexical
    data = Graph()
    data.add((URIRef(ID + "FirstEurasianEconomicForum"), URIRef(EKG + "date"), date))
    report = validate_graph(data)
    assert [(_str(v.focus), _str(v.path), v.message) for v in report.violations] == [
        (ID + "FirstEurasianEconomicForum", EKG + "date", M_DATE)]
    data.set((URIRef(ID + "FirstEurasianEconomicForum"), URIRef(EKG + "date"),
              Literal("2022-05-20", datatype=XSD_DATE)))
    assert validate_graph(data).conforms


def test_validation_does_not_change_the_shared_shapes_graph():
    fresh = Graph().parse(shapes_file(), format="turtle")
    before = set(shapes_graph())
    assert len(before) == len(fresh)
    for name in ("speech-shape-no-venue.ttl", "statement-shape-quote-not-verbatim.ttl"):
        report = validate_dataset(build(INVALID / name))
        assert not report.conforms
    assert set(shapes_graph()) == before
    assert len(validation._shipped_shapes()) == len(fresh)
    # shapes_graph() hands out copies: changing one leaves the shared graph alone.
    copy = shapes_graph()
    copy.add((URIRef(SHAPES + "Extra"), RDF.type, SH.NodeShape))
    assert set(shapes_graph()) == before
