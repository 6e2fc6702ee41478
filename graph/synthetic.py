"""Write synthetic data of the essay graph's shape: seeded, of a chosen size, conforming to the shapes.

    python -m eurasia_kg.graph.synthetic --size 100k -o synthetic-100k.nt

Actors (states, international organisations, persons, groups, regions) with labels in
English, Russian and Chinese; initiatives and conflicts; memberships as background facts
with a source; n-ary statement nodes (bilateral relations, cooperation, sanctions, demands,
connections, trade flows with their monetary amounts, trade shares) and claims, each with the
paragraph of a synthetic essay that states it, a quote, who asserts it and its modality.
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
from pathlib import Path

from ..ontology import EKG, EKGID, ORG, SCHEMA

#: Every synthetic resource has an IRI under this namespace.
SYNTHETIC = str(EKGID) + "synthetic/"
#: Named sizes, in asserted triples (the ontology not counted).
SIZES = {"2k": 2_000, "100k": 100_000, "1m": 1_000_000}
#: The fewest triples asked for: below it, one resource of every kind would not fit.
MIN_TRIPLES = 1_000
DEFAULT_SEED = 20221

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
VERBS = ["deepens", "weakens", "reshapes", "threatens", "sustains", "complicates", "expands",
         "limits", "reinforces", "undermines"]
OBJECTS = ["trade with", "energy cooperation with", "sanctions against", "the security dialogue with",
           "transport corridors towards", "financial ties with", "the strategic partnership with",
           "investment in", "the pipeline projects of", "the border talks with",
           "technology exchange with", "the grain deal with"]
CONTEXTS = ["amid the polarization of the international community",
            "after the outbreak of the conflict", "within the regional organisations",
            "despite the risk of secondary sanctions", "as global governance fragments",
            "in the face of external challenges", "while the world economy regionalizes"]
#: Words that occur in claim texts, for text-search queries.
SEARCH_WORDS = ["sanctions", "pipeline", "grain"]


@dataclass
class GraphInfo:
    """A graph a benchmark runs on: its entities, labels and search words, and its file."""

    name: str
    entities: list          #: IRIs of actors, the busiest first
    labels: list            #: their English labels, in the same order
    words: list             #: words that occur in claim texts
    triples_written: int = 0
    file: Path | None = None


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

    Claims are not planned: they are written last, until the target is reached.
    """
    k = target / 100_000

    def n(per_100k: float, floor: int) -> int:
        return max(floor, round(per_100k * k))

    return {
        "regions": n(10, 2), "states": n(300, 8), "orgs": n(80, 3), "persons": n(700, 5),
        "groups": n(150, 1), "initiatives": n(60, 1), "conflicts": n(40, 1), "essays": n(30, 1),
        "bilateral": n(1700, 4), "cooperation": n(450, 2), "sanctions": n(500, 3),
        "demands": n(150, 1), "connections": n(60, 1), "trade": n(850, 4), "shares": n(120, 1),
    }


def write_synthetic(handle, target: int = 100_000, seed: int = DEFAULT_SEED) -> GraphInfo:
    """Write about `target` synthetic triples as N-Triples to an open text handle.

    Returns what queries need to know about the graph; its file is None.
    """
    if target < MIN_TRIPLES:
        raise ValueError(f"a synthetic graph has at least {MIN_TRIPLES} triples, not {target}")
    rng = random.Random(seed)
    plan = _plan(target)
    w = NTriplesWriter(handle)
    used: set = set()  # Latin names given so far (only looked up, never iterated)
    name_of: dict = {}  # English labels of the parties, for labels and texts

    def S(local: str) -> str:
        return SYNTHETIC + local

    def T(local: str) -> str:
        return _EKG + local

    def labels(s, names):
        for name, lang in zip(names, ("en", "ru", "zh")):
            w.lit(s, _LABEL, name, lang)

    regions = []
    for i in range(plan["regions"]):
        s = S(f"region-{i}")
        w.iri(s, _TYPE, T("Region"))
        labels(s, _name(rng, used, 2, (" Basin", " бассейн", "盆地")))
        w.lit(s, _COMMENT, f"A synthetic region (generated test data), number {i}.", "en")
        regions.append(s)
    states = []
    for i in range(plan["states"]):
        s = S(f"state-{i}")
        names = _name(rng, used, 3, ("ia", "ия", "亚"))
        w.iri(s, _TYPE, T("State"))
        labels(s, names)
        w.lit(s, _SKOS + "altLabel", f"Republic of {names[0]}", "en")
        w.lit(s, _COMMENT, f"A synthetic state (generated test data), number {i}.", "en")
        w.iri(s, T("locatedIn"), regions[i % len(regions)])
        if i < 50:
            w.lit(s, T("worldEconomyRank"), i + 1, dt=_XSD + "integer")
        states.append(s)
        name_of[s] = names[0]
    for i in range(1, len(states), 7):  # a few neighbours (symmetric)
        w.iri(states[i], T("neighbourOf"), states[i - 1])
    orgs = []
    for i in range(plan["orgs"]):
        s = S(f"org-{i}")
        names = _name(rng, used, 2, (" Union", " союз", "联盟"))
        w.iri(s, _TYPE, T("InternationalOrganization"))
        labels(s, names)
        w.lit(s, _SKOS + "altLabel", "".join(x[0] for x in names[0].split()).upper() + str(i), "en")
        w.lit(s, _COMMENT, f"A synthetic international organisation (generated test data), number {i}.", "en")
        orgs.append(s)
        name_of[s] = names[0]
    persons = []
    for i in range(plan["persons"]):
        s = S(f"person-{i}")
        first, last = _name(rng, None, 2), _name(rng, used, 3)
        w.iri(s, _TYPE, T("Person"))
        labels(s, [f"{a} {b}" for a, b in zip(first, last)])
        w.lit(s, _SCHEMA + "jobTitle", rng.choice(JOBS), "en")
        w.iri(s, T("officialOf"), states[rng.randrange(len(states))])
        w.lit(s, _COMMENT, f"A synthetic person (generated test data), number {i}.", "en")
        persons.append(s)
    groups = []
    for i in range(plan["groups"]):
        s = S(f"group-{i}")
        owner = states[rng.randrange(len(states))]
        w.iri(s, _TYPE, T("Group"))
        w.lit(s, _LABEL, f"{name_of[owner]}'s public opinion, group {i}", "en")
        w.iri(s, T("belongsTo"), owner)
        w.lit(s, _COMMENT, f"A synthetic group (generated test data), number {i}.", "en")
        groups.append(s)

    # Parties: states and organisations, skewed so that the first few are hubs.
    parties = states + orgs
    rng.shuffle(parties)
    parties.sort(key=lambda p: 0 if p in (states[0], states[1]) else 1)  # the two hubs
    weights, total = [], 0.0
    for rank in range(len(parties)):
        total += 1.0 / (rank + 1) ** 0.9
        weights.append(total)

    def pick(n=1):
        chosen = []
        while len(chosen) < n:
            p = rng.choices(parties, cum_weights=weights)[0]
            if p not in chosen:
                chosen.append(p)
        return chosen

    def short(iri):
        return name_of[iri]

    initiatives = []
    for i in range(plan["initiatives"]):
        s = S(f"initiative-{i}")
        names = _name(rng, used, 2, (" Corridor", " коридор", "走廊"))
        owner = pick()[0]
        w.iri(s, _TYPE, T("Initiative"))
        labels(s, names)
        w.lit(s, _COMMENT, f"A synthetic initiative (generated test data) pursued by {short(owner)}.", "en")
        w.iri(s, T("pursuedBy"), owner)
        if rng.random() < 0.5:
            w.iri(s, T("targets"), pick()[0])
        initiatives.append(s)
    conflicts = []
    for i in range(plan["conflicts"]):
        s = S(f"conflict-{i}")
        a, b = pick(2)
        w.iri(s, _TYPE, T("Conflict"))
        w.lit(s, _LABEL, f"Synthetic conflict {i} of {short(a)} and {short(b)}", "en")
        w.iri(s, T("party"), a)
        w.iri(s, T("party"), b)
        w.lit(s, T("date"), 1990 + i % 34, dt=_XSD + "gYear")
        w.iri(s, T("dateBasis"), T("StatedDate"))
        conflicts.append(s)

    # Memberships: background facts with a source, as in background.ttl.
    source = S("source/membership-register")
    for i, state in enumerate(states):
        for org in rng.sample(orgs, rng.randint(1, min(5, len(orgs)))):
            m = S(f"membership-{i}-{org.rsplit('-', 1)[1]}")
            w.iri(state, _ORG + "memberOf", org)
            w.iri(m, _TYPE, _ORG + "Membership")
            w.iri(m, _TYPE, T("BackgroundFact"))
            w.lit(m, _LABEL, f"{short(state)} in {short(org)}", "en")
            w.iri(m, _ORG + "member", state)
            w.iri(m, _ORG + "organization", org)
            w.lit(m, T("startYear"), rng.randint(1950, 2023), dt=_XSD + "gYear")
            w.iri(m, _DCT + "source", source)
            w.lit(m, _DCT + "bibliographicCitation", "Synthetic membership register (generated test data)")

    # Synthetic essays and their 24 paragraphs: every statement cites one.
    essays = []
    for e in range(plan["essays"]):
        s = S(f"essay-{e}")
        author = persons[e % len(persons)]
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
            w.lit(p, T("paragraphNumber"), n, dt=_XSD + "integer")
            w.lit(p, T("sourceLine"), 2 * n + 5, dt=_XSD + "integer")
            w.iri(p, _DCT + "isPartOf", s)
            paragraphs.append(p)
        essays.append((author, paragraphs))

    quotes = [0]

    def provenance(s, phrase, modality=None):
        """Cite a paragraph, quote it (synthetically), say who asserts it and how."""
        author, paragraphs = essays[rng.randrange(len(essays))]
        quotes[0] += 1
        w.iri(s, T("paragraph"), rng.choice(paragraphs))
        w.lit(s, T("quote"), f"synthetic quote {quotes[0]}: {phrase}")
        modality = modality or rng.choice(MODALITIES)
        if modality == "ReportedSpeech":
            speakers = [p for p in persons[:50] if p != author]
            w.iri(s, T("assertedBy"), rng.choice(speakers))
            w.iri(s, T("reportedBy"), author)
        else:
            w.iri(s, T("assertedBy"), author)
        w.iri(s, T("modality"), T(modality))

    statements = []
    shortcuts: set = set()  # binary shortcuts written so far: each once (only looked up)
    for i in range(plan["bilateral"]):
        s = S(f"relation-{i}")
        a, b = pick(2)
        kind = rng.choice(RELATION_KINDS)
        w.iri(s, _TYPE, T("BilateralRelation"))
        w.lit(s, _LABEL, f"{short(a)}–{short(b)} relations {i}", "en")
        if i % 2 == 0:
            w.lit(s, _LABEL, f"Отношения {short(a)}–{short(b)} {i}", "ru")
            w.lit(s, _LABEL, f"{short(a)}–{short(b)}关系 {i}", "zh")
        w.iri(s, T("party"), a)
        w.iri(s, T("party"), b)
        if rng.random() < 0.8:
            w.iri(s, T("relationKind"), T(kind))
            if rng.random() < 0.1:
                w.iri(s, T("notOfKind"), T("Alliance" if kind != "Alliance" else "Rivalry"))
            shortcut = {"StrategicPartnership": "strategicPartnerOf",
                        "TradePartnership": "majorTradePartner"}.get(kind)
            if shortcut and (a, shortcut, b) not in shortcuts:
                shortcuts.add((a, shortcut, b))
                w.iri(a, T(shortcut), b)
        if rng.random() < 0.5:
            w.lit(s, T("startYear"), rng.randint(1950, 2023), dt=_XSD + "gYear")
        provenance(s, f"the relations between {short(a)} and {short(b)}")
        statements.append(s)
    for i in range(plan["cooperation"]):
        s = S(f"cooperation-{i}")
        members = pick(rng.choice([2, 2, 3]))
        w.iri(s, _TYPE, T("Cooperation"))
        w.lit(s, _LABEL, f"Cooperation {i} of " + ", ".join(map(short, members)), "en")
        for m in members:
            w.iri(s, T("party"), m)
        for sphere in rng.sample(SPHERES, rng.randint(1, 3)):
            w.iri(s, T("sphere"), T(sphere))
        provenance(s, f"cooperation between {' and '.join(map(short, members))}")
        statements.append(s)
    sanctions = []
    for i in range(plan["sanctions"]):
        s = S(f"sanction-{i}")
        imposer, target_ = pick(2)
        w.iri(s, _TYPE, T("Sanction"))
        w.lit(s, _LABEL, f"Sanctions of {short(imposer)} on {short(target_)} {i}", "en")
        if i % 3 == 0:
            w.lit(s, _LABEL, f"Санкции {short(imposer)} против {short(target_)} {i}", "ru")
        w.iri(s, T("imposedBy"), imposer)
        w.iri(s, T("sanctionTarget"), target_)
        if sanctions and rng.random() < 0.1:
            w.iri(s, T("sanctionKind"), T("SecondarySanctions"))
            w.iri(s, T("secondaryTo"), rng.choice(sanctions))
        else:
            w.iri(s, T("sanctionKind"), T("EconomicSanctions"))
        w.iri(s, T("sanctionStatus"), T("Imposed" if rng.random() < 0.8 else "Potential"))
        if rng.random() < 0.5:
            w.iri(s, T("imposedAfter"), rng.choice(conflicts))
        provenance(s, f"the sanctions imposed on {short(target_)}")
        sanctions.append(s)
        statements.append(s)
    for i in range(plan["demands"]):
        s = S(f"demand-{i}")
        by, of = pick(2)
        action = f"{rng.choice(VERBS)[:-1]} {rng.choice(OBJECTS)} {short(pick()[0])}"
        w.iri(s, _TYPE, T("Demand"))
        w.lit(s, _LABEL, f"{short(by)}'s demand of {short(of)} {i}", "en")
        w.iri(s, T("demandedBy"), by)
        w.iri(s, T("addressee"), of)
        w.lit(s, T("demandedAction"), action)
        modality = "ReportedSpeech" if rng.random() < 0.3 else None
        provenance(s, f"{short(by)} demands that {short(of)} {action}", modality)
        statements.append(s)
    for i in range(plan["connections"]):
        s = S(f"connection-{i}")
        linked = [rng.choice(initiatives), rng.choice(orgs)]
        w.iri(s, _TYPE, T("Connection"))
        w.lit(s, _LABEL, f"Synthetic connection {i}", "en")
        for x in linked:
            w.iri(s, T("connects"), x)
        w.lit(s, T("purpose"), "regional economic cooperation (synthetic)")
        provenance(s, f"connecting initiative and organisation, connection {i}", "Recommendation")
        statements.append(s)
    for i in range(plan["trade"]):
        s = S(f"trade-{i}")
        a, b = pick(2)
        year = rng.randint(2000, 2023)
        amount = f"{s}-amount"
        w.iri(s, _TYPE, T("TradeFlow"))
        w.lit(s, _LABEL, f"Trade of {short(a)} with {short(b)}, {year}", "en")
        w.iri(s, T("tradeOf"), a)
        w.iri(s, T("tradeWith"), b)
        w.lit(s, T("year"), year, dt=_XSD + "gYear")
        w.iri(s, T("amount"), amount)
        w.lit(s, T("growthPercent"), f"{rng.uniform(-30, 40):.1f}", dt=_XSD + "decimal")
        provenance(s, f"trade with {short(b)} grew in {year}", "ReportedFact")
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
        statements.append(s)
    for i in range(plan["shares"]):
        s = S(f"share-{i}")
        of, *partners = pick(rng.choice([2, 3]))
        share = f"{s}-share"
        w.iri(s, _TYPE, T("TradeShare"))
        w.lit(s, _LABEL, f"Share of {' and '.join(map(short, partners))} in {short(of)}'s trade", "en")
        w.iri(s, T("tradeOf"), of)
        for p in partners:
            w.iri(s, T("tradeWith"), p)
        w.iri(s, T("share"), share)
        if rng.random() < 0.5:
            w.lit(s, T("year"), rng.randint(2000, 2023), dt=_XSD + "gYear")
        provenance(s, f"the share of its partners in the trade of {short(of)}", "ReportedFact")
        percent = f"{rng.uniform(1, 60):.1f}"
        w.iri(share, _TYPE, _SCHEMA + "QuantitativeValue")
        w.lit(share, _LABEL, f"{percent}%", "en")
        w.lit(share, _SCHEMA + "value", percent, dt=_XSD + "decimal")
        w.lit(share, _SCHEMA + "unitCode", "P1")
        statements.append(s)

    # Claims, until the target is reached (each is 7 to 10 triples).
    i = 0
    while w.count < target - 4:
        s = S(f"claim-{i}")
        subject, other = pick(2)
        verb, obj, context = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(CONTEXTS)
        text = f"{short(subject)} {verb} {obj} {short(other)} {context}."
        modality = "ReportedSpeech" if rng.random() < 0.05 else rng.choice(MODALITIES)
        w.iri(s, _TYPE, T("Claim"))
        w.lit(s, T("claimText"), text, "en")
        w.iri(s, T("about"), subject)
        if rng.random() < 0.5:
            w.iri(s, T("about"), rng.choice(statements))
        if rng.random() < 0.6:
            w.iri(s, T("sphere"), T(rng.choice(SPHERES)))
        if rng.random() < 0.1:
            w.lit(s, T("reason"), f"because of {obj.split()[0]} {context.split()[0]} {context.split()[-1]}")
        provenance(s, f"{verb} {obj} {short(other)}", modality)
        i += 1

    state_set = set(states)
    hubs = [states[0], states[1]] + [p for p in parties[2:] if p in state_set][:1]
    return GraphInfo("synthetic", hubs, [name_of[h] for h in hubs], list(SEARCH_WORDS), w.count)


def generate_synthetic(path: Path, target: int = 100_000, seed: int = DEFAULT_SEED) -> GraphInfo:
    """Write a synthetic graph of about `target` triples to an N-Triples file.

    path: the file to write (replaced if it exists).
    target: the number of triples wanted, at least MIN_TRIPLES; the file holds between
    target - 4 and target + 6.
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
