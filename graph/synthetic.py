"""Write synthetic data of the essay graph's shape: seeded, of a chosen size, conforming to the shapes.

    python -m eurasia_kg.graph.synthetic --size 100k -o synthetic-100k.nt

Actors (states, international organisations, persons, groups, regions) with labels in
English, Russian and Chinese; initiatives and conflicts; memberships and offices as background
facts with a source; n-ary statement nodes (bilateral relations, cooperation, sanctions,
demands with the proposition they demand, connections, trade flows with their monetary
amounts, trade shares, the conflicts) with their predicate and, where an action fits one, a
CAMEO event code; and claims. Every statement cites a paragraph of a synthetic essay, quotes it,
says who asserts it and its modality, and carries its proposition, as in the essay graph
(ontology/propositions.ttl): subject, a predicate of ekg:PredicateScheme whose domain and range
fit the subject and object, object or value, and sometimes negation, a hedge, an attitude, a
mode, a time, an event code, addressees (recommendations), a purpose, and an argument link
(ekg:supports, ekg:conflictsWith) to an earlier statement. A few claims are remarks on method
with ekg:noPropositionBecause instead. What entities are (where a state lies, its rank, whom a
group belongs to, who pursues an initiative) is said by claims, so the build derives it into
the derived graph; entities carry no uncited binary triples.

Party choice is skewed (Zipf-like), so a few actors are hubs, as China and Russia are in the
essay. Everything is made up and says so: IRIs live under SYNTHETIC, names are strings of
syllables, every quote starts with "synthetic quote", and the synthetic essays' paragraphs
are not the essay's (PARA). The same seed and size give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..ontology import EKG, EKGID, ORG, SCHEMA, ontology_files
from .dataset import parse_into

#: Every synthetic resource has an IRI under this namespace.
SYNTHETIC = str(EKGID) + "synthetic/"
#: Named sizes, in asserted triples (the ontology not counted).
SIZES = {"2k": 2_000, "100k": 100_000, "1m": 1_000_000}
#: The fewest triples asked for: below it, one resource of every kind would not fit.
MIN_TRIPLES = 1_000
DEFAULT_SEED = 20221
#: Triples that the smallest graph's fixed part takes before the plan is scaled (see _plan).
PLAN_OVERHEAD = 500

_EKG = str(EKG)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_ORG = str(ORG)
_SCHEMA = str(SCHEMA)
_TYPE = _RDF + "type"
_LABEL = _RDFS + "label"
_COMMENT = _RDFS + "comment"

#: Parallel syllables (Latin, Cyrillic, Chinese) for made-up names in three languages.
SYLLABLES = [("ka", "ка", "卡"), ("ro", "ро", "罗"), ("vi", "ви", "维"), ("ta", "та", "塔"),
             ("mi", "ми", "米"), ("sa", "са", "萨"), ("le", "ле", "勒"), ("no", "но", "诺"),
             ("da", "да", "达"), ("ri", "ри", "里"), ("bu", "бу", "布"), ("ze", "зе", "泽"),
             ("lo", "ло", "洛"), ("ni", "ни", "尼"), ("ga", "га", "加"), ("fe", "фе", "费"),
             ("tu", "ту", "图"), ("ma", "ма", "马"), ("ke", "ке", "克"), ("so", "со", "索")]
RELATION_KINDS = ["StrategicPartnership", "TradePartnership", "Rivalry", "Alliance"]
SPHERES = ["PoliticalSphere", "EconomicSphere", "SecuritySphere", "EnergySphere",
           "ScientificTechnicalSphere", "HumanitarianSphere", "InternationalRelationsSphere",
           "GlobalGovernanceSphere"]
#: Modalities of the author's own statements, weighted roughly as in the essay.
MODALITIES = ["Assessment"] * 10 + ["ReportedFact"] * 6 + ["Recommendation"] * 3
JOBS = ["Minister", "President", "Ambassador", "Envoy", "Adviser"]
#: What claims are said to concern, in their texts.
TOPICS = ["trade", "energy cooperation", "sanctions", "the security dialogue",
          "transport corridors", "financial ties", "the strategic partnership", "investment",
          "the pipeline projects", "the border talks", "technology exchange", "the grain deal"]
CONTEXTS = ["amid the polarization of the international community",
            "after the outbreak of the conflict", "within the regional organisations",
            "despite the risk of secondary sanctions", "as global governance fragments",
            "in the face of external challenges", "while the world economy regionalizes"]
#: Words that occur in claim texts, for text-search queries.
SEARCH_WORDS = ["sanctions", "pipeline", "grain"]
#: Words that hedge a claim (ekg:hedgeCue); they open its text and its quote.
HEDGE_CUES = ["It appears to me that", "Generally,", "In a way,", "Perhaps", "Probably"]
#: CAMEO event categories of the predicates that are actions between actors.
CAMEO = {"imposesSanctionsOn": "cameo163", "demands": "cameo100", "cooperatesWith": "cameo061",
         "condemns": "cameo111", "threatens": "cameo130", "fightsWith": "cameo190"}
#: Predicates that say once what an entity is (where it lies, whom it belongs to, its rank,
#: its office): only the claims written for that (_Generator.fact) use them.
ENTITY_PREDICATES = {"locatedIn", "belongsTo", "worldEconomyRank", "officialOf"}
#: (subject kind, object kind, weight) of the claims' propositions.
ROLE_KINDS = [("party", "party", 40), ("party", "statement", 15), ("statement", "party", 12),
              ("party", "initiative", 8), ("statement", "concept", 8), ("party", "concept", 5),
              ("member", "party", 5), ("conflict", "party", 4), ("party", "conflict", 3)]
#: Shares of the claims that are remarks on method, that support or conflict with an
#: earlier statement, and of the recommendations that name a purpose.
NO_PROPOSITION_SHARE = 0.04
SUPPORTS_SHARE, CONFLICTS_SHARE = 0.06, 0.03
PURPOSE_SHARE = 0.2


@dataclass
class GraphInfo:
    """A graph a benchmark runs on: its entities, labels and search words, and its file."""

    name: str
    entities: list          #: IRIs of actors, the busiest first
    labels: list            #: their English labels, in the same order
    words: list             #: words that occur in claim texts
    triples_written: int = 0
    file: Path | None = None


class PredicateTable:
    """The predicates of ekg:PredicateScheme, with which subjects and objects each fits.

    A predicate fits a subject and an object when the subject is an instance of each of its
    rdfs:domain classes and the object of each of its rdfs:range classes; a concept (a trend,
    a characteristic) is an object only of predicates whose range names its class.
    """

    def __init__(self, ontology: Graph):
        self._supers = {}
        for c in set(ontology.subjects(RDFS.subClassOf, None)):
            self._supers[str(c)] = frozenset(map(str, ontology.transitive_objects(c, RDFS.subClassOf)))
        self.label = {}
        self._object_properties = []
        for p in sorted(ontology.subjects(SKOS.inScheme, EKG.PredicateScheme), key=str):
            self.label[str(p)] = str(ontology.value(p, RDFS.label))
            if (p, RDF.type, OWL.DatatypeProperty) not in ontology:
                self._object_properties.append((str(p), frozenset(map(str, ontology.objects(p, RDFS.domain))),
                                                frozenset(map(str, ontology.objects(p, RDFS.range)))))
        #: Concepts of a class (ekg:Trend, ekg:Attitude, ...), by IRI, with their English labels.
        self.concepts = {}
        for cls in (EKG.Trend, EKG.Characteristic, EKG.Attitude, EKG.Mode):
            self.concepts[str(cls)] = [(str(c), str(ontology.value(c, SKOS.prefLabel)))
                                       for c in sorted(ontology.subjects(RDF.type, cls), key=str)]
        self._fits = {}

    def classes(self, types: tuple) -> frozenset:
        """Return the classes of a resource of these rdf:types, their super-classes included."""
        return frozenset(c for t in types for c in self._supers.get(t, (t,)))

    def fitting(self, subject_types: tuple, object_types: tuple) -> list:
        """Return the object properties that fit a subject and an object of these types, sorted."""
        key = (subject_types, object_types)
        if key not in self._fits:
            s, o = self.classes(subject_types), self.classes(object_types)
            concept = _SKOS + "Concept" in o
            self._fits[key] = [p for p, domains, ranges in self._object_properties
                               if domains <= s and ranges <= o and (ranges or not concept)]
        return self._fits[key]


@lru_cache(maxsize=1)
def predicate_table() -> PredicateTable:
    """Return the predicate table of the shipped ontology (read once)."""
    ontology = Graph()
    for f in ontology_files():
        parse_into(ontology, f)
    return PredicateTable(ontology)


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


class NTriplesWriter:
    """Write N-Triples lines and count them."""

    def __init__(self, handle):
        self.handle, self.count = handle, 0

    def iri(self, s: str, p: str, o: str) -> None:
        self.handle.write(f"<{s}> <{p}> <{o}> .\n")
        self.count += 1

    def lit(self, s: str, p: str, value, lang: str | None = None, dt: str | None = None) -> None:
        suffix = f"@{lang}" if lang else (f"^^<{dt}>" if dt else "")
        self.handle.write(f'<{s}> <{p}> "{_escape(str(value))}"{suffix} .\n')
        self.count += 1


def _name(rng: random.Random, used: set | None, syllables: int, suffix=("", "", "")) -> tuple:
    """Return a made-up name in Latin, Cyrillic and Chinese script, unique within `used`."""
    attempts = 0
    while True:
        parts = [rng.choice(SYLLABLES) for _ in range(syllables + attempts // 50)]
        latin = "".join(p[0] for p in parts) + suffix[0]
        latin = latin[0].upper() + latin[1:]
        attempts += 1
        if used is None or latin not in used:
            if used is not None:
                used.add(latin)
            cyr = "".join(p[1] for p in parts) + suffix[1]
            return latin, cyr[0].upper() + cyr[1:], "".join(p[2] for p in parts) + suffix[2]


def _plan(target: int) -> dict:
    """Return how many of each kind of resource to write for about `target` triples.

    Claims are not planned: they are written last, until the target is reached. The floors
    (one resource of every kind, with the claims that say what it is) and a synthetic essay
    take about PLAN_OVERHEAD triples at any size; the counts per 100k share out the rest.
    """
    k = max(target - PLAN_OVERHEAD, 0) / 100_000

    def n(per_100k: float, floor: int) -> int:
        return max(floor, round(per_100k * k))

    return {
        "regions": n(10, 2), "states": n(300, 5), "orgs": n(80, 3), "persons": n(700, 5),
        "groups": n(150, 1), "initiatives": n(60, 1), "conflicts": n(40, 1), "essays": n(30, 1),
        "bilateral": n(1450, 4), "cooperation": n(380, 2), "sanctions": n(420, 3),
        "demands": n(130, 1), "connections": n(50, 1), "trade": n(720, 4), "shares": n(100, 1),
    }


def S(local: str) -> str:
    """Return the IRI of a synthetic resource."""
    return SYNTHETIC + local


def T(local: str) -> str:
    """Return the IRI of an ontology term."""
    return _EKG + local


_XSD_BOOLEAN, _XSD_GYEAR, _XSD_INTEGER = _XSD + "boolean", _XSD + "gYear", _XSD + "integer"
_CLAIM_TYPES = (T("Claim"),)
_ACTOR = T("Actor")
_CAMEO = {T(p): T(code) for p, code in CAMEO.items()}
_ENTITY_PREDICATES = {T(p) for p in ENTITY_PREDICATES}
_ROLE_PAIRS = [(s, o) for s, o, _ in ROLE_KINDS]
_ROLE_WEIGHTS = [sum(w for _, _, w in ROLE_KINDS[:i + 1]) for i in range(len(ROLE_KINDS))]


class _Generator:
    """One synthetic graph being written: its random source, its writer and what it holds so far."""

    def __init__(self, handle, target: int, seed: int):
        self.rng = random.Random(seed)
        self.w = NTriplesWriter(handle)
        self.target = target
        self.plan = _plan(target)
        self.table = predicate_table()
        self.used: set = set()  # Latin names given so far (only looked up, never iterated)
        self.name: dict = {}    # English labels of what texts mention
        self.types: dict = {}   # rdf:types of what propositions take as subject or object
        self.quotes = 0
        self.claim_count = 0
        self.essays: list = []      # (author, paragraphs)
        self.statements: list = []  # relation nodes, for claims about them
        self.claims: list = []      # claims with a proposition, in order
        self.owner: dict = {}       # initiative -> the party that pursues it
        self.concepts = [c for cls in ("Trend", "Characteristic") for c, _ in self.table.concepts[T(cls)]]
        for cls in ("Trend", "Characteristic"):
            for c, label in self.table.concepts[T(cls)]:
                self.name[c], self.types[c] = label, (T(cls),)

    # ------------------------------------------------------------------------------------
    # Building blocks
    # ------------------------------------------------------------------------------------

    def entity(self, s: str, cls: str, names, comment: str | None = None) -> None:
        """Type and label an entity: one English label, or three names (en, ru, zh)."""
        self.w.iri(s, _TYPE, T(cls))
        names = (names,) if isinstance(names, str) else names
        for name, lang in zip(names, ("en", "ru", "zh")):
            self.w.lit(s, _LABEL, name, lang)
        if comment:
            self.w.lit(s, _COMMENT, comment, "en")
        self.name[s], self.types[s] = names[0], (T(cls),)

    def pick(self, n: int = 1, avoid=()) -> list:
        """Return n distinct parties (states and organisations), the hubs most often."""
        chosen = []
        while len(chosen) < n:
            p = self.rng.choices(self.parties, cum_weights=self.weights)[0]
            if p not in chosen and p not in avoid:
                chosen.append(p)
        return chosen

    def fitting(self, subjects, obj) -> list:
        """Return the predicates that fit every one of the subjects and the object.

        Not those of ENTITY_PREDICATES: a group belongs to one state, a state lies in one region.
        """
        found = [p for p in self.table.fitting(self.types[subjects[0]], self.types[obj])
                 if p not in _ENTITY_PREDICATES]
        for other in subjects[1:]:
            allowed = self.table.fitting(self.types[other], self.types[obj])
            found = [p for p in found if p in allowed]
        return found

    def is_actor(self, s: str) -> bool:
        """Tell whether s is an ekg:Actor (a state, an organisation, a person, a group, a region)."""
        return _ACTOR in self.table.classes(self.types[s])

    def provenance(self, s: str, phrase: str, modality: str | None = None, addressees=()) -> None:
        """Cite a paragraph, quote it (synthetically), say who asserts it, how and to whom."""
        rng, w = self.rng, self.w
        author, paragraphs = self.essays[rng.randrange(len(self.essays))]
        self.quotes += 1
        w.iri(s, T("paragraph"), rng.choice(paragraphs))
        w.lit(s, T("quote"), f"synthetic quote {self.quotes}: {phrase}")
        modality = modality or rng.choice(MODALITIES)
        if modality == "ReportedSpeech":
            speakers = [p for p in self.persons[:50] if p != author]
            w.iri(s, T("assertedBy"), rng.choice(speakers))
            w.iri(s, T("reportedBy"), author)
        else:
            w.iri(s, T("assertedBy"), author)
        w.iri(s, T("modality"), T(modality))
        if modality == "Recommendation":
            for a in addressees:
                w.iri(s, T("addressedTo"), a)

    def proposition(self, s: str, subjects, predicate: str, objects=(), value=None) -> None:
        """Write the roles of a proposition: subjects, predicate, objects or a value."""
        for x in subjects:
            self.w.iri(s, T("subject"), x)
        self.w.iri(s, T("predicate"), predicate)
        for o in objects:
            self.w.iri(s, T("object"), o)
        if value is not None:
            self.w.lit(s, T("objectValue"), value, dt=_XSD_INTEGER)

    def embedded(self, s: str, subjects, predicate: str, obj: str) -> str:
        """Write an ekg:Proposition (what a demand asks for, what a recommendation is for)."""
        words = f"{' and '.join(self.name[x] for x in subjects)} {self.table.label[predicate]} {self.name[obj]}"
        self.w.iri(s, _TYPE, T("Proposition"))
        self.w.lit(s, _LABEL, words, "en")
        self.proposition(s, subjects, predicate, [obj])
        if predicate in _CAMEO:
            self.w.iri(s, T("eventCode"), _CAMEO[predicate])
        return words

    def claim_head(self, text: str, about) -> str:
        """Start a claim: its IRI, type, text and what it is about."""
        s = S(f"claim-{self.claim_count}")
        self.w.iri(s, _TYPE, T("Claim"))
        self.w.lit(s, T("claimText"), text, "en")
        for a in about:
            self.w.iri(s, T("about"), a)
        self.name[s], self.types[s] = f"claim {self.claim_count}", _CLAIM_TYPES
        self.claim_count += 1
        return s

    def fact(self, subject: str, predicate: str, obj: str | None = None, value=None, about=()) -> None:
        """Write a claim the author reports as fact: "subject predicate obj" (or value)."""
        said = f"{self.name[subject]} {self.table.label[T(predicate)]} {self.name[obj] if obj else value}"
        s = self.claim_head(f"{said}.", [subject] + ([obj] if obj else []) + list(about))
        self.proposition(s, [subject], T(predicate), [obj] if obj else [], value)
        self.provenance(s, said, "ReportedFact")
        self.claims.append(s)

    def statement(self, s: str, cls: str) -> None:
        """Note a relation node as something claims can be about."""
        self.statements.append(s)
        self.types[s] = (T(cls),)

    def earlier_statement(self, claim_share: float) -> str:
        """Return a statement written before: a claim with this probability, else a relation node."""
        if self.claims and self.rng.random() < claim_share:
            return self.rng.choice(self.claims)
        return self.rng.choice(self.statements)

    # ------------------------------------------------------------------------------------
    # The graph, kind by kind
    # ------------------------------------------------------------------------------------

    def write(self) -> GraphInfo:
        """Write the whole graph; return what queries need to know about it."""
        self.actors()
        self.essays_and_paragraphs()
        self.facts_of_actors()
        self.initiatives_and_conflicts()
        self.memberships()
        self.relations()
        while self.w.count < self.target - 4:
            self.free_claim()
        state_set = set(self.states)
        hubs = [self.states[0], self.states[1]] + [p for p in self.parties[2:] if p in state_set][:1]
        return GraphInfo("synthetic", hubs, [self.name[h] for h in hubs], list(SEARCH_WORDS),
                         self.w.count)

    def actors(self) -> None:
        """Write regions, states, organisations, persons (with offices) and groups."""
        rng, w, plan = self.rng, self.w, self.plan
        self.regions = []
        for i in range(plan["regions"]):
            s = S(f"region-{i}")
            self.entity(s, "Region", _name(rng, self.used, 2, (" Basin", " бассейн", "盆地")),
                        f"A synthetic region (generated test data), number {i}.")
            self.regions.append(s)
        self.states = []
        for i in range(plan["states"]):
            s = S(f"state-{i}")
            names = _name(rng, self.used, 3, ("ia", "ия", "亚"))
            self.entity(s, "State", names, f"A synthetic state (generated test data), number {i}.")
            w.lit(s, _SKOS + "altLabel", f"Republic of {names[0]}", "en")
            self.states.append(s)
        self.orgs = []
        for i in range(plan["orgs"]):
            s = S(f"org-{i}")
            names = _name(rng, self.used, 2, (" Union", " союз", "联盟"))
            self.entity(s, "InternationalOrganization", names,
                        f"A synthetic international organisation (generated test data), number {i}.")
            w.lit(s, _SKOS + "altLabel", "".join(x[0] for x in names[0].split()).upper() + str(i), "en")
            self.orgs.append(s)
        self.persons = []
        for i in range(plan["persons"]):
            s = S(f"person-{i}")
            first, last = _name(rng, None, 2), _name(rng, self.used, 3)
            self.entity(s, "Person", [f"{a} {b}" for a, b in zip(first, last)],
                        f"A synthetic person (generated test data), number {i}.")
            self.persons.append(s)
        # Offices of the persons whose words statements report (provenance takes its speakers
        # from the first 50): background facts with a source, as in background.ttl.
        source = S("source/office-register")
        for i, person in enumerate(self.persons[:50]):
            state, job = self.states[rng.randrange(len(self.states))], rng.choice(JOBS)
            office = S(f"office-{i}")
            w.iri(person, T("officialOf"), state)
            w.iri(office, _TYPE, T("BackgroundFact"))
            w.lit(office, _LABEL, f"{self.name[person]}, {job} of {self.name[state]}", "en")
            self.proposition(office, [person], T("officialOf"), [state])
            w.iri(office, _DCT + "source", source)
            w.lit(office, _DCT + "bibliographicCitation", "Synthetic register of offices (generated test data)")
        self.groups, self.group_owner = [], []
        for i in range(plan["groups"]):
            s = S(f"group-{i}")
            owner = self.states[rng.randrange(len(self.states))]
            self.entity(s, "Group", f"{self.name[owner]}'s public opinion, group {i}",
                        f"A synthetic group (generated test data), number {i}.")
            self.groups.append(s)
            self.group_owner.append(owner)
        self.members = self.persons + self.groups

        # Parties: states and organisations, skewed so that the first few are hubs.
        self.parties = self.states + self.orgs
        rng.shuffle(self.parties)
        self.parties.sort(key=lambda p: 0 if p in (self.states[0], self.states[1]) else 1)  # the two hubs
        self.weights, total = [], 0.0
        for rank in range(len(self.parties)):
            total += 1.0 / (rank + 1) ** 0.9
            self.weights.append(total)

    def essays_and_paragraphs(self) -> None:
        """Write the synthetic essays and their 24 paragraphs: every statement cites one."""
        w = self.w
        for e in range(self.plan["essays"]):
            s = S(f"essay-{e}")
            author = self.persons[e % len(self.persons)]
            w.iri(s, _TYPE, T("Essay"))
            w.lit(s, _LABEL, f"Synthetic essay {e}", "en")
            w.lit(s, _DCT + "title", f"Synthetic essay {e} (generated test data)", "en")
            w.iri(s, _DCT + "creator", author)
            paragraphs = []
            for n in range(1, 25):
                p = f"{s}/p{n}"
                w.iri(s, _DCT + "hasPart", p)
                w.iri(p, _TYPE, T("Paragraph"))
                w.lit(p, _LABEL, f"Paragraph {n} of synthetic essay {e}", "en")
                w.lit(p, T("paragraphNumber"), n, dt=_XSD_INTEGER)
                w.lit(p, T("sourceLine"), 2 * n + 5, dt=_XSD_INTEGER)
                w.iri(p, _DCT + "isPartOf", s)
                paragraphs.append(p)
            self.essays.append((author, paragraphs))

    def facts_of_actors(self) -> None:
        """Write the claims that say where states lie, their ranks, neighbours, groups' owners."""
        for i, s in enumerate(self.states):
            self.fact(s, "locatedIn", self.regions[i % len(self.regions)])
            if i < max(1, len(self.states) // 6):  # the largest economies
                self.fact(s, "worldEconomyRank", value=i + 1)
        for i in range(1, len(self.states), 7):  # a few neighbours
            self.fact(self.states[i], "neighbourOf", self.states[i - 1])
        for group, owner in zip(self.groups, self.group_owner):
            self.fact(group, "belongsTo", owner)

    def initiatives_and_conflicts(self) -> None:
        """Write initiatives (with the claims that say who pursues them) and conflicts."""
        rng, w = self.rng, self.w
        self.initiatives = []
        for i in range(self.plan["initiatives"]):
            s = S(f"initiative-{i}")
            names = _name(rng, self.used, 2, (" Corridor", " коридор", "走廊"))
            owner = self.pick()[0]
            self.entity(s, "Initiative", names,
                        f"A synthetic initiative (generated test data) pursued by {self.name[owner]}.")
            self.fact(owner, "pursues", s)
            self.initiatives.append(s)
            self.owner[s] = owner
        # Conflicts are events and statements at once, as the Russia–Ukraine conflict is.
        self.conflicts = []
        for i in range(self.plan["conflicts"]):
            s = S(f"conflict-{i}")
            a, b = self.pick(2)
            w.iri(s, _TYPE, T("Statement"))
            self.entity(s, "Conflict", f"Synthetic conflict {i} of {self.name[a]} and {self.name[b]}")
            self.types[s] = (T("Conflict"), T("Statement"))
            w.iri(s, T("party"), a)
            w.iri(s, T("party"), b)
            w.iri(s, T("predicate"), T("fightsWith"))
            w.iri(s, T("eventCode"), T("cameo190"))
            w.lit(s, T("date"), 1990 + i % 34, dt=_XSD_GYEAR)
            w.iri(s, T("dateBasis"), T("StatedDate"))
            self.provenance(s, f"the conflict between {self.name[a]} and {self.name[b]}", "ReportedFact")
            self.conflicts.append(s)

    def memberships(self) -> None:
        """Write memberships: background facts with a source, as in background.ttl."""
        rng, w = self.rng, self.w
        source = S("source/membership-register")
        for i, state in enumerate(self.states):
            for org in rng.sample(self.orgs, rng.randint(1, min(5, len(self.orgs)))):
                m = S(f"membership-{i}-{org.rsplit('-', 1)[1]}")
                w.iri(state, _ORG + "memberOf", org)
                w.iri(m, _TYPE, _ORG + "Membership")
                w.iri(m, _TYPE, T("BackgroundFact"))
                w.lit(m, _LABEL, f"{self.name[state]} in {self.name[org]}", "en")
                w.iri(m, _ORG + "member", state)
                w.iri(m, _ORG + "organization", org)
                w.lit(m, T("startYear"), rng.randint(1950, 2023), dt=_XSD_GYEAR)
                w.iri(m, _DCT + "source", source)
                w.lit(m, _DCT + "bibliographicCitation", "Synthetic membership register (generated test data)")

    def relations(self) -> None:
        """Write the n-ary statement nodes: relations, cooperation, sanctions, demands, ..."""
        rng, w, plan, name = self.rng, self.w, self.plan, self.name
        for i in range(plan["bilateral"]):
            s = S(f"relation-{i}")
            a, b = self.pick(2)
            kind = rng.choice(RELATION_KINDS)
            w.iri(s, _TYPE, T("BilateralRelation"))
            name[s] = f"{name[a]}–{name[b]} relations {i}"
            w.lit(s, _LABEL, name[s], "en")
            if i % 2 == 0:
                w.lit(s, _LABEL, f"Отношения {name[a]}–{name[b]} {i}", "ru")
                w.lit(s, _LABEL, f"{name[a]}–{name[b]}关系 {i}", "zh")
            w.iri(s, T("party"), a)
            w.iri(s, T("party"), b)
            kind = kind if rng.random() < 0.8 else None
            partners = kind == "StrategicPartnership"
            w.iri(s, T("predicate"), T("strategicPartnerOf" if partners else "hasRelationsWith"))
            if kind:
                w.iri(s, T("relationKind"), T(kind))
            if rng.random() < 0.5:
                w.lit(s, T("startYear"), rng.randint(1950, 2023), dt=_XSD_GYEAR)
            self.provenance(s, f"the relations between {name[a]} and {name[b]}", addressees=(a, b))
            self.statement(s, "BilateralRelation")
            if kind == "TradePartnership":
                self.fact(a, "majorTradePartner", b, about=[s])
        for i in range(plan["cooperation"]):
            s = S(f"cooperation-{i}")
            members = self.pick(rng.choice([2, 2, 3]))
            w.iri(s, _TYPE, T("Cooperation"))
            name[s] = f"Cooperation {i} of " + ", ".join(name[m] for m in members)
            w.lit(s, _LABEL, name[s], "en")
            for m in members:
                w.iri(s, T("party"), m)
            w.iri(s, T("predicate"), T("cooperatesWith"))
            spheres = rng.sample(SPHERES, rng.randint(1, 3))
            for sphere in spheres:
                w.iri(s, T("sphere"), T(sphere))
            if {"EconomicSphere", "EnergySphere"} & set(spheres):
                w.iri(s, T("eventCode"), T("cameo061"))
            if {"PoliticalSphere", "InternationalRelationsSphere"} & set(spheres):
                w.iri(s, T("eventCode"), T("cameo050"))
            self.provenance(s, f"cooperation between {' and '.join(name[m] for m in members)}",
                            addressees=members)
            self.statement(s, "Cooperation")
        sanctions = []
        for i in range(plan["sanctions"]):
            s = S(f"sanction-{i}")
            imposer, target_ = self.pick(2)
            w.iri(s, _TYPE, T("Sanction"))
            name[s] = f"Sanctions of {name[imposer]} on {name[target_]} {i}"
            w.lit(s, _LABEL, name[s], "en")
            if i % 3 == 0:
                w.lit(s, _LABEL, f"Санкции {name[imposer]} против {name[target_]} {i}", "ru")
            w.iri(s, T("imposedBy"), imposer)
            w.iri(s, T("predicate"), T("imposesSanctionsOn"))
            w.iri(s, T("sanctionTarget"), target_)
            if sanctions and rng.random() < 0.1:
                w.iri(s, T("sanctionKind"), T("SecondarySanctions"))
                w.iri(s, T("secondaryTo"), rng.choice(sanctions))
            else:
                w.iri(s, T("sanctionKind"), T("EconomicSanctions"))
            imposed = rng.random() < 0.8
            w.iri(s, T("sanctionStatus"), T("Imposed" if imposed else "Potential"))
            if imposed:
                w.iri(s, T("eventCode"), T("cameo163"))
            else:  # a risk, put forward with reserve, as the essay's secondary sanctions are
                w.lit(s, T("hedged"), "true", dt=_XSD_BOOLEAN)
                w.lit(s, T("hedgeCue"), "may")
            if rng.random() < 0.5:
                w.iri(s, T("imposedAfter"), rng.choice(self.conflicts))
            phrase = "imposed on" if imposed else "that may be imposed on"
            self.provenance(s, f"the sanctions {phrase} {name[target_]}", addressees=(imposer,))
            sanctions.append(s)
            self.statement(s, "Sanction")
        for i in range(plan["demands"]):
            s = S(f"demand-{i}")
            by, of = self.pick(2)
            if rng.random() < 0.5:  # to join sanctions, as the US demands of China
                obj, predicate = rng.choice(sanctions), T("joins")
            else:
                obj = self.pick(1, avoid=(of,))[0]
                predicate = rng.choice(self.fitting([of], obj))
            w.iri(s, _TYPE, T("Demand"))
            name[s] = f"{name[by]}'s demand of {name[of]} {i}"
            w.lit(s, _LABEL, name[s], "en")
            w.iri(s, T("demandedBy"), by)
            w.iri(s, T("predicate"), T("demands"))
            w.iri(s, T("addressee"), of)
            w.iri(s, T("demandedAction"), f"{s}-action")
            w.iri(s, T("eventCode"), T("cameo102" if predicate == T("joins") else "cameo100"))
            action = self.embedded(f"{s}-action", [of], predicate, obj)
            modality = "ReportedSpeech" if rng.random() < 0.3 else None
            self.provenance(s, f"{name[by]} demands that {action}", modality, addressees=(by,))
            self.statement(s, "Demand")
        for i in range(plan["connections"]):
            s = S(f"connection-{i}")
            initiative, org = rng.choice(self.initiatives), rng.choice(self.orgs)
            w.iri(s, _TYPE, T("Connection"))
            name[s] = f"Synthetic connection {i}"
            w.lit(s, _LABEL, name[s], "en")
            w.iri(s, T("connects"), initiative)
            w.iri(s, T("connects"), org)
            w.iri(s, T("predicate"), T("connectedWith"))
            self.provenance(s, f"connecting initiative and organisation, connection {i}", "Recommendation",
                            addressees=(self.owner[initiative],))
            self.statement(s, "Connection")
        for i in range(plan["trade"]):
            s = S(f"trade-{i}")
            a, b = self.pick(2)
            year = rng.randint(2000, 2023)
            amount = f"{s}-amount"
            w.iri(s, _TYPE, T("TradeFlow"))
            name[s] = f"Trade of {name[a]} with {name[b]}, {year}"
            w.lit(s, _LABEL, name[s], "en")
            w.iri(s, T("tradeOf"), a)
            w.iri(s, T("predicate"), T("tradesWith"))
            w.iri(s, T("tradeWith"), b)
            w.lit(s, T("year"), year, dt=_XSD_GYEAR)
            w.iri(s, T("amount"), amount)
            w.lit(s, T("growthPercent"), f"{rng.uniform(-30, 40):.1f}", dt=_XSD + "decimal")
            w.iri(s, T("growthBasis"), T("UnstatedBasis"))
            self.provenance(s, f"trade with {name[b]} grew in {year}", "ReportedFact")
            value = rng.randint(1, 900) * 1_000_000_000
            w.iri(amount, _TYPE, _SCHEMA + "MonetaryAmount")
            if rng.random() < 0.1:
                w.lit(amount, _LABEL, f"more than US${value // 1_000_000_000} billion", "en")
                w.lit(amount, _SCHEMA + "minValue", f"{value}.0", dt=_XSD + "decimal")
                w.iri(amount, T("valueQualifier"), T("MoreThan"))
            else:
                w.lit(amount, _LABEL, f"US${value // 1_000_000_000} billion", "en")
                w.lit(amount, _SCHEMA + "value", f"{value}.0", dt=_XSD + "decimal")
            w.lit(amount, _SCHEMA + "currency", "USD")
            self.statement(s, "TradeFlow")
        for i in range(plan["shares"]):
            s = S(f"share-{i}")
            of, *partners = self.pick(rng.choice([2, 3]))
            share = f"{s}-share"
            w.iri(s, _TYPE, T("TradeShare"))
            name[s] = f"Share of {' and '.join(name[p] for p in partners)} in {name[of]}'s trade"
            w.lit(s, _LABEL, name[s], "en")
            w.iri(s, T("tradeOf"), of)
            w.iri(s, T("predicate"), T("tradesWith"))
            for p in partners:
                w.iri(s, T("tradeWith"), p)
            w.iri(s, T("share"), share)
            if rng.random() < 0.5:
                w.lit(s, T("year"), rng.randint(2000, 2023), dt=_XSD_GYEAR)
            self.provenance(s, f"the share of its partners in the trade of {name[of]}", "ReportedFact")
            percent = f"{rng.uniform(1, 60):.1f}"
            w.iri(share, _TYPE, _SCHEMA + "QuantitativeValue")
            w.lit(share, _LABEL, f"{percent}%", "en")
            w.lit(share, _SCHEMA + "value", percent, dt=_XSD + "decimal")
            w.lit(share, _SCHEMA + "unitCode", "P1")
            self.statement(s, "TradeShare")

    def choose(self, kind: str, avoid=()) -> str:
        """Return a subject or object of a claim's proposition, of one kind."""
        rng = self.rng
        if kind == "party":
            return self.pick(1, avoid)[0]
        if kind == "statement":
            return self.earlier_statement(0.3)
        return rng.choice({"initiative": self.initiatives, "concept": self.concepts,
                           "member": self.members, "conflict": self.conflicts}[kind])

    def free_claim(self) -> None:
        """Write one claim: a proposition with qualifiers, or now and then a remark on method."""
        rng, w, name, label = self.rng, self.w, self.name, self.table.label
        context, topic = rng.choice(CONTEXTS), rng.choice(TOPICS)
        if rng.random() < NO_PROPOSITION_SHARE:
            about = self.pick()[0]
            said = f"the relations of {name[about]} can be seen from several perspectives"
            s = self.claim_head(f"{said[0].upper()}{said[1:]}, in {topic}.", [about])
            w.lit(s, T("noPropositionBecause"),
                  "A remark on method (synthetic): how to look at the relations, not a statement about them", "en")
            self.provenance(s, said, rng.choice(["Assessment", "Recommendation"]))
            return
        subject_kind, object_kind = rng.choices(_ROLE_PAIRS, cum_weights=_ROLE_WEIGHTS)[0]
        subject = self.choose(subject_kind)
        obj = self.choose(object_kind, avoid=(subject,))
        predicate = rng.choice(self.fitting([subject], obj))
        subjects = [subject]
        if subject_kind == "party" and rng.random() < 0.08:  # two subjects, jointly
            other = self.pick(1, avoid=(subject, obj))[0]
            if predicate in self.fitting([other], obj):
                subjects.append(other)
        negated = rng.random() < 0.08
        cue = rng.choice(HEDGE_CUES) if rng.random() < 0.08 else None
        r = rng.random()
        attitude = rng.choice(self.table.concepts[T("Attitude")]) if r < 0.05 and self.is_actor(subject) else None
        mode = rng.choice(self.table.concepts[T("Mode")]) if 0.05 <= r < 0.1 else None
        modality = "ReportedSpeech" if rng.random() < 0.05 else rng.choice(MODALITIES)

        how = f"({(attitude or mode)[1]}) " if attitude or mode else ""
        said = f"{' and '.join(name[x] for x in subjects)} {how}{label[predicate]} {name[obj]}"
        said = ("it is not the case that " if negated else "") + said
        said = f"{cue} {said}" if cue else said
        s = self.claim_head(f"{said[0].upper()}{said[1:]} {context}, in {topic}.",
                            subjects + ([obj] if object_kind != "concept" else []))
        if rng.random() < 0.6:
            w.iri(s, T("sphere"), T(rng.choice(SPHERES)))
        self.proposition(s, subjects, predicate, [obj])
        if negated:
            w.lit(s, T("negated"), "true", dt=_XSD_BOOLEAN)
        if cue:
            w.lit(s, T("hedged"), "true", dt=_XSD_BOOLEAN)
            w.lit(s, T("hedgeCue"), cue)
        if attitude:
            w.iri(s, T("attitude"), attitude[0])
        if mode:
            w.iri(s, T("mode"), mode[0])
        r = rng.random()
        if r < 0.06:
            w.iri(s, T(rng.choice(["after", "after", "during", "before"])), rng.choice(self.conflicts))
        elif r < 0.09:
            w.lit(s, T("startYear"), rng.randint(1990, 2023), dt=_XSD_GYEAR)
        if predicate in _CAMEO and not (negated or attitude or mode):
            w.iri(s, T("eventCode"), _CAMEO[predicate])
        r = rng.random()
        if r < SUPPORTS_SHARE + CONFLICTS_SHARE:
            w.iri(s, T("supports" if r < SUPPORTS_SHARE else "conflictsWith"), self.earlier_statement(0.8))
        addressees = [x for x in subjects if self.is_actor(x)] or self.pick()
        if modality == "Recommendation" and rng.random() < PURPOSE_SHARE:
            goal = self.pick(1, avoid=addressees)[0]
            aims = self.fitting(addressees, goal)
            if aims:
                w.iri(s, T("purpose"), f"{s}-purpose")
                self.embedded(f"{s}-purpose", addressees, rng.choice(aims), goal)
        self.provenance(s, said, modality, addressees)
        self.claims.append(s)


def write_synthetic(handle, target: int = 100_000, seed: int = DEFAULT_SEED) -> GraphInfo:
    """Write about `target` synthetic triples as N-Triples to an open text handle.

    Returns what queries need to know about the graph; its file is None.
    """
    if target < MIN_TRIPLES:
        raise ValueError(f"a synthetic graph has at least {MIN_TRIPLES} triples, not {target}")
    return _Generator(handle, target, seed).write()


def generate_synthetic(path: Path, target: int = 100_000, seed: int = DEFAULT_SEED) -> GraphInfo:
    """Write a synthetic graph of about `target` triples to an N-Triples file.

    path: the file to write (replaced if it exists).
    target: the number of triples wanted, at least MIN_TRIPLES; the file holds between
    target - 4 and target + 30 (the last claim may overshoot it).
    seed: the random seed; the same seed and target give the same bytes.
    """
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        info = write_synthetic(handle, target, seed)
    info.file = path
    return info


def main(argv=None) -> int:
    """Write a synthetic graph: the command line."""
    parser = argparse.ArgumentParser(
        prog="eurasia-kg synthetic",
        description="Write synthetic data of the essay graph's shape as N-Triples (same seed and "
                    "size, same bytes). It conforms to the shapes; load it with the ontology.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--size", choices=list(SIZES), default="2k",
                      help="about 2 thousand, 100 thousand or 1 million triples (default: 2k)")
    size.add_argument("--triples", type=int, metavar="N", help="about N triples instead")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default: {DEFAULT_SEED})")
    parser.add_argument("-o", "--output", metavar="FILE", default="-",
                        help="the N-Triples file to write (default: standard output)")
    args = parser.parse_args(argv)
    target = args.triples if args.triples is not None else SIZES[args.size]
    if target < MIN_TRIPLES:
        parser.error(f"--triples must be at least {MIN_TRIPLES}")
    if args.output == "-":
        info = write_synthetic(sys.stdout, target, args.seed)
    else:
        try:
            info = generate_synthetic(Path(args.output), target, args.seed)
        except OSError as exc:
            print(f"eurasia-kg: {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    print(f"wrote {info.triples_written} synthetic triples (seed {args.seed})"
          + ("" if args.output == "-" else f" to {args.output}"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
