"""The eurasia-kg command: validate, query, export, stats (and serve)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import RDF

from ..graph.dataset import DERIVED_GRAPH, BuildError, DataError, build_dataset
from ..graph.query import QueryError, format_result, run
from ..graph.validation import validate_graph
from ..ontology import EKG, PARA

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNREADABLE = 0, 1, 2

EXPORT_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


def _err(message: str) -> None:
    print(f"eurasia-kg: {message}", file=sys.stderr)


def _add_view_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--asserted", dest="view", action="store_const", const="asserted",
                       help="only asserted triples (ontology, essay, background)")
    group.add_argument("--inferred", dest="view", action="store_const", const="inferred",
                       help="only triples inferred by OWL 2 RL")
    group.add_argument("--all", dest="view", action="store_const", const="all",
                       help="asserted and inferred triples (the default)")
    parser.set_defaults(view="all")


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", nargs="+", metavar="FILE",
                        help="RDF files to use instead of the shipped essay graph")


def _build(files=None, verbose=True):
    return build_dataset([Path(f) for f in files] if files else None, verbose=verbose)


def load_paragraph_texts(tsv_path: Path, graph) -> int:
    """Add ekg:paragraphText from the essay's paragraphs.tsv so that quotes can be checked."""
    count = 0
    with open(tsv_path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            graph.add((PARA[f"p{int(row['paragraph'])}"], EKG.paragraphText, Literal(row["text"])))
            count += 1
    return count


def cmd_validate(args) -> int:
    """Validate RDF files (default: the shipped graph) with the ontology against the shapes."""
    started = time.perf_counter()
    try:
        built = _build(args.files, verbose=not args.quiet)
    except DataError as exc:
        _err(str(exc))
        return EXIT_UNREADABLE
    except BuildError as exc:
        _err(str(exc))
        return EXIT_VIOLATIONS
    data = built.view("asserted")  # see validate_dataset: inferred types would hide errors
    if args.essay_text:
        try:
            n = load_paragraph_texts(Path(args.essay_text), data)
        except (OSError, KeyError, ValueError) as exc:
            _err(f"{args.essay_text}: cannot read paragraph texts: {exc}")
            return EXIT_UNREADABLE
        if not args.quiet:
            print(f"loaded the text of {n} paragraphs to check quotes", file=sys.stderr)
    report = validate_graph(data)
    if not args.quiet:
        print(f"validated in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    rendered = {"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}
    sys.stdout.write(rendered[args.format]().rstrip("\n") + "\n")
    return EXIT_OK if report.conforms else EXIT_VIOLATIONS


def cmd_query(args) -> int:
    """Run a SPARQL query over the dataset and print the result."""
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            _err(f"{args.file}: {exc.strerror or exc}")
            return EXIT_UNREADABLE
    elif args.query:
        text = args.query
    else:
        _err("give a query, or --file Q.rq")
        return EXIT_UNREADABLE
    built = _build(args.data, verbose=not args.quiet)
    print(format_result(run(built.view(args.view), text), args.format))
    return EXIT_OK


def cmd_export(args) -> int:
    """Write the dataset (asserted, inferred or all) in an RDF format."""
    built = _build(args.data, verbose=True)
    if args.format == "trig":
        text = built.as_dataset(args.view).serialize(format="trig")
    else:
        text = built.view(args.view).serialize(format=EXPORT_FORMATS[args.format])
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_stats(args) -> int:
    """Print triple counts, instances per class and statements per paragraph."""
    built = _build(args.data, verbose=True)
    print(f"triples asserted: {built.asserted_count}")
    print(f"triples inferred: {built.inferred_count}")
    for name in built.named_graphs():
        print(f"  graph {name}: {len(built.graph(name))}")
    everything = built.view("all")
    classes = Counter(o for o in everything.objects(None, RDF.type) if str(o).startswith(str(EKG)))
    print("\ninstances per class (ekg:, with inferred types):")
    for cls, count in sorted(classes.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        print(f"  {everything.namespace_manager.normalizeUri(cls):40} {count}")
    per_paragraph = Counter(everything.objects(None, EKG.paragraph))
    print("\nstatements per paragraph:")
    for n in range(1, 25):
        print(f"  {n:2}: {per_paragraph.get(PARA[f'p{n}'], 0)}")
    print("\npropositions:")
    for line in proposition_figures(everything, len(built.graph(DERIVED_GRAPH))):
        print(f"  {line}")
    return EXIT_OK


def proposition_figures(graph, shortcuts: int) -> list:
    """Return lines of figures about the statements' propositions and the argument."""
    claims = set(graph.subjects(RDF.type, EKG.Claim))
    with_proposition = {c for c in claims if (c, EKG.predicate, None) in graph}
    explained = {c for c in claims - with_proposition if (c, EKG.noPropositionBecause, None) in graph}
    statements = set(graph.subjects(RDF.type, EKG.Statement))
    propositions = statements | set(graph.subjects(RDF.type, EKG.Proposition))
    predicates = {p for s in propositions for p in graph.objects(s, EKG.predicate)}
    share = 100 * len(with_proposition) / len(claims) if claims else 0.0
    counts = {p: sum(1 for _ in graph.triples((None, p, None)))
              for p in (EKG.supports, EKG.conflictsWith, EKG.negated, EKG.hedged)}
    return [
        f"claims with a proposition: {len(with_proposition)} of {len(claims)} ({share:.1f}%)",
        f"claims without one, with the reason why: {len(explained)} of {len(claims) - len(with_proposition)}",
        f"statements with a proposition (claims, relation nodes, events): "
        f"{sum(1 for s in statements if (s, EKG.predicate, None) in graph)} of {len(statements)}",
        f"predicates used: {len(predicates)}",
        f"negated: {counts[EKG.negated]}, hedged: {counts[EKG.hedged]}, "
        f"with a CAMEO code: {len(set(graph.subjects(EKG.eventCode, None)))}",
        f"argument links: {counts[EKG.supports]} supports, {counts[EKG.conflictsWith]} conflicts",
        f"binary shortcuts derived: {shortcuts}",
    ]


def _auth(spec: str | None):
    """Return (user, password) from --auth USER[:PASSWORD] (else EURASIA_KG_PASSWORD), or None."""
    if not spec:
        return None
    user, sep, password = spec.partition(":")
    if not sep:
        if "EURASIA_KG_PASSWORD" not in os.environ:
            _err("--auth USER takes the password from EURASIA_KG_PASSWORD, which is not set")
            raise SystemExit(EXIT_UNREADABLE)
        password = os.environ["EURASIA_KG_PASSWORD"]
    return user, password


def cmd_build(args) -> int:
    """Parse, reason over and validate once, and write a store that `serve --store` opens."""
    from ..graph.store import StoreError, build_store

    named = _named_graphs(args.graph)
    if named is None:
        return EXIT_UNREADABLE
    try:
        manifest = build_store(Path(args.output), args.data, with_shipped=True if args.with_shipped else None,
                               named_graph_files=named, reasoner=args.reasoner, verbose=not args.quiet)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_VIOLATIONS if "does not conform" in str(exc) else EXIT_UNREADABLE
    print(json.dumps(manifest.data, indent=2))
    return EXIT_OK


def cmd_publish(args) -> int:
    """Load a built store into a remote SPARQL store, replacing the previous version."""
    from ..graph.store import StoreError
    from .publication import publish_store
    from .remote import RemoteError

    def progress(message):
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        counts = publish_store(Path(args.store), args.to, auth=_auth(args.auth), progress=progress)
    except (StoreError, RemoteError, ValueError) as exc:  # ValueError: not an http(s) URL
        _err(str(exc))
        return EXIT_UNREADABLE
    for name, count in counts.items():
        print(f"{name}\t{count}")
    progress(f"published {sum(counts.values())} triples to {args.to} in "
             f"{time.perf_counter() - started:.1f} s; counts verified")
    return EXIT_OK


def cmd_synthetic(args) -> int:
    """Write synthetic data of the essay graph's shape (see graph/synthetic.py)."""
    from ..graph.synthetic import main as synthetic_main

    return synthetic_main(args.rest)  # reached only without options: main() passes them on


def _named_graphs(specs) -> dict | None:
    named = {}
    for spec in specs or []:
        iri, sep, path = spec.partition("=")
        if not sep:
            _err(f"--graph takes IRI=FILE, not {spec!r}")
            return None
        named[iri] = path
    return named


def cmd_serve(args) -> int:
    """Serve the SPARQL endpoint, validation service and downloads under gunicorn."""
    from . import StartupError, create_app
    from .serving import serve

    named = _named_graphs(args.graph)
    if named is None:
        return EXIT_UNREADABLE
    if (args.store or args.remote) and (args.data or named or args.with_shipped):
        _err("--store and --remote serve data built before; --data, --graph and --with-shipped "
             "go to `eurasia-kg build`")
        return EXIT_UNREADABLE
    config = {
        "STORE": args.store, "REMOTE": args.remote, "REMOTE_AUTH": _auth(args.auth),
        "DATA_FILES": args.data, "WITH_SHIPPED": True if args.with_shipped else None,
        "NAMED_GRAPH_FILES": named, "QUERY_TIMEOUT": args.timeout, "MAX_ROWS": args.max_rows,
        "EXECUTORS": args.threads, "QUERY_CACHE": not args.no_cache,
    }
    started = time.perf_counter()
    try:
        app = create_app(config)
    except StartupError as exc:
        _err(str(exc))
        return EXIT_VIOLATIONS
    served = app.extensions["eurasia_kg.dataset"]
    how = {"embedded": "built and validated", "store": f"opened from {args.store}",
           "remote": f"published at {args.remote}"}[served.kind]
    print(f"dataset {served.version}: {sum(served.triple_counts().values())} triples, {how} "
          f"in {time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)
    serve(app, host=args.host, port=args.port, workers=args.workers, threads=args.threads,
          timeout=args.timeout)
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the eurasia-kg command."""
    parser = argparse.ArgumentParser(
        prog="eurasia-kg",
        description="A knowledge graph of Zhao Huasheng's essay 'China and Russia: Dialog in the "
                    "Face of External Challenges': validate, query, export and describe it.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="validate RDF files against the SHACL shapes",
                       description="Validate RDF files (any format rdflib reads; default: the "
                                   "shipped graph) together with the ontology against the shapes, "
                                   "after OWL 2 RL reasoning. Exit 0 conforms, 1 violations, "
                                   "2 unreadable input.")
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument("--format", choices=["text", "turtle", "json"], default="text",
                   help="report format (default: text)")
    p.add_argument("--essay-text", metavar="TSV",
                   help="the essay's paragraphs.tsv: also check every quote is verbatim")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="run a SPARQL query",
                       description="Run a read-only SPARQL query over the dataset.")
    p.add_argument("query", nargs="?", help="the query text")
    p.add_argument("--file", metavar="Q.rq", help="read the query from a file")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    _add_view_options(p)
    _add_data_option(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("export", help="write the dataset as RDF",
                       description="Write the dataset to stdout or a file.")
    p.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="ttl")
    p.add_argument("-o", "--output", metavar="FILE")
    _add_view_options(p)
    _add_data_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="print counts", description=cmd_stats.__doc__)
    _add_data_option(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("serve", help="serve the SPARQL endpoint and the validation service",
                       description=cmd_serve.__doc__ + " The dataset is built, reasoned over and "
                       "validated before the first request; startup fails if it does not.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--threads", type=int, default=4,
                   help="threads per worker, each with its query executor (default 4)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds a query may run before it is stopped (default 10)")
    p.add_argument("--max-rows", type=int, default=10000,
                   help="rows or triples a result may have (default 10000)")
    p.add_argument("--no-cache", action="store_true", help="do not answer repeated queries from memory")
    p.add_argument("--data", nargs="+", metavar="FILE",
                   help="serve these RDF files instead of the shipped essay graph")
    p.add_argument("--with-shipped", action="store_true",
                   help="with --data: serve the shipped graph beside the files")
    p.add_argument("--graph", action="append", metavar="IRI=FILE",
                   help="load FILE as the named graph IRI, as it is (repeatable)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--store", metavar="DIR",
                       help="serve a store made by `eurasia-kg build` (opened read-only; several "
                            "workers and machines may share it)")
    where.add_argument("--remote", metavar="URL",
                       help="serve the dataset published (`eurasia-kg publish`) to the SPARQL "
                            "store at URL, with this service's protections in front")
    p.add_argument("--auth", metavar="USER[:PASSWORD]",
                   help="with --remote: credentials; give the password in EURASIA_KG_PASSWORD rather than "
                        "here, where other users of the machine can read it")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("build", help="build a store: parse, reason, validate once",
                       description=cmd_build.__doc__ + " A failed build leaves the previous store "
                       "untouched: the new one is written beside it and switched in at the end.")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the store (a link to the newest build)")
    p.add_argument("--data", nargs="+", metavar="FILE", help="RDF files instead of the shipped essay graph")
    p.add_argument("--with-shipped", action="store_true", help="with --data: the shipped graph too")
    p.add_argument("--graph", action="append", metavar="IRI=FILE",
                   help="load FILE as the named graph IRI, as it is (repeatable)")
    p.add_argument("--reasoner", choices=["auto", "owlrl", "reasonable"], default="auto",
                   help="OWL 2 RL engine (default auto: the fast one where it gives owlrl's answers)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("publish", help="load a built store into a remote SPARQL store",
                       description=cmd_publish.__doc__ + " One named graph per part, through the "
                       "Graph Store Protocol, switched in with one SPARQL Update; the triple counts "
                       "are verified afterwards. Exit 0 published, 2 failed (the previous version stays).")
    p.add_argument("store", metavar="DIR", help="a store made by `eurasia-kg build`")
    p.add_argument("--to", required=True, metavar="URL",
                   help="the store's SPARQL endpoint (Oxigraph/Fuseki .../query, Virtuoso .../sparql)")
    p.add_argument("--auth", metavar="USER[:PASSWORD]",
                   help="credentials; give the password in EURASIA_KG_PASSWORD rather than here, "
                        "where other users of the machine can read it")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("synthetic", help="write synthetic data of the essay graph's shape",
                       description=cmd_synthetic.__doc__ + " Arguments are those of "
                       "`python -m eurasia_kg.graph.synthetic --help`.", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_synthetic)
    return parser


def main(argv=None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["synthetic"]:  # its own options, which argparse would not pass through
        from ..graph.synthetic import main as synthetic_main

        return synthetic_main(argv[1:])
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except (DataError, BuildError, QueryError) as exc:  # unreadable input, stated plainly
        _err(str(exc))
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
