"""The eurasia-kg command: validate, query, export, stats (and serve)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import sys
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal
from rdflib.namespace import RDF

from ..graph.dataset import DERIVED_GRAPH, BuildError, DataError, build_dataset
from ..graph.store import NotConforming, StoreError, build_store
from ..graph.synthetic import main as synthetic_main
from ..graph.validation import validate_graph
from ..ontology import EKG, PARA, PREFIXES
from . import formats
from .app import SourceUnavailable, StartupError, create_app
from .illtyped import report_ill_typed_literals
from .query.guard import analyse, check
from .query.messages import QueryRefused
from .remote.client import RemoteError
from .remote.publish import publish_store
from .serving import HTTP_SERVERS, serve

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNREADABLE, EXIT_ENVIRONMENT = 0, 1, 2, 3
EXIT_STATUS = """exit status:
  0  success
  1  the data violates the shapes (or OWL 2 RL finds it inconsistent)
  2  unreadable input (a file that does not parse, a malformed query) or a wrong command line
  3  a store, remote store or setting the command needs is missing, unusable or unreachable
     (no such store, a store of another version, a remote store that does not answer,
     EURASIA_KG_PASSWORD unset, an output folder that cannot be written)"""

#: Export formats: pyoxigraph's names (trig and nq keep the named graphs).
#: The formats `export` writes: the downloads of the service, by short name (pyoxigraph's names).
EXPORT_FORMATS = {f.name: f.oxigraph for f in formats.DOWNLOADS}


def _err(message: str) -> None:
    print(f"eurasia-kg: {message}", file=sys.stderr)


def _add_view_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--asserted", dest="view", action="store_const", const="asserted",
                       help="only asserted triples (ontology, essay, background, shortcuts, files)")
    group.add_argument("--inferred", dest="view", action="store_const", const="inferred",
                       help="only triples inferred by OWL 2 RL")
    group.add_argument("--all", dest="view", action="store_const", const="all",
                       help="asserted and inferred triples (the default)")
    parser.set_defaults(view="all")


PLAIN_HELP = ("serve the files as they are: their triples in the default graph, their TriG and "
              "N-Quads graphs as named graphs; no ontology, reasoning, shapes or essay. A query "
              "without FROM reads the files' default graph (not the union); GRAPH reads their named "
              "graphs (and --graph files); FROM <g> takes a named graph as the default graph, "
              "FROM NAMED <g> limits GRAPH; the files' default graph has no name to put in FROM")


def _add_data_options(parser: argparse.ArgumentParser, *, files: bool = True, plain: bool = True) -> None:
    """Add the options that say what the dataset is built from: every command has the same."""
    if files:
        parser.add_argument("--data", nargs="+", metavar="FILE",
                            help="RDF files (any format pyoxigraph reads, by suffix) to use "
                                 "instead of the shipped essay graph")
    parser.add_argument("--with-shipped", action="store_true",
                        help="with --data or --graph: the shipped essay graph too")
    parser.add_argument("--graph", action="append", metavar="IRI=FILE",
                        help="load FILE as the named graph IRI, as it is: not reasoned over "
                             "(repeatable; its own named graphs, if TriG, stay named)")
    parser.add_argument("--base", metavar="IRI",
                        help="resolve the files' relative IRIs against IRI (default: each "
                             "file's own file: IRI)")
    if plain:
        parser.add_argument("--plain", action="store_true", help=PLAIN_HELP)
    parser.add_argument("--reasoner", choices=["auto", "owlrl", "reasonable"], default="auto",
                        help="OWL 2 RL engine (default auto: the fast one where it gives owlrl's answers)")


def _build_options(args) -> dict | None:
    """Return build_dataset's options from the command line, or None (said why) if they clash."""
    named = _named_graphs(args.graph)
    if named is None:
        return None
    files = [Path(f) for f in getattr(args, "data", None) or getattr(args, "files", None) or []]
    plain = getattr(args, "plain", False)
    if plain and args.with_shipped:
        _err("--plain serves only the files given, never the shipped essay graph: "
             "drop --with-shipped")
        return None
    if plain and not files and not named:
        _err("--plain serves the files you give: add --data FILE or --graph IRI=FILE")
        return None
    return {"data_files": files, "named_graph_files": named,
            "with_shipped": True if args.with_shipped else None, "plain": plain,
            "base": args.base, "reasoner": args.reasoner}


def _build(args, verbose=True, validate=False):
    """Build the dataset the command line asks for (graph.dataset.build_dataset)."""
    options = _build_options(args)
    if options is None:
        raise SystemExit(EXIT_UNREADABLE)
    return build_dataset(**options, validate=validate, verbose=verbose)


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
        # Without the essay's text, the data is what `build` validates: the build validates it,
        # reusing the conforming report of an identical earlier build as build and serve do.
        built = _build(args, verbose=not args.quiet, validate=not args.essay_text)
    except DataError as exc:
        _err(str(exc))
        return EXIT_UNREADABLE
    except BuildError as exc:
        _err(str(exc))
        return EXIT_VIOLATIONS
    if args.essay_text:
        data = built.view("asserted")  # see validate_dataset: inferred types would hide errors
        try:
            n = load_paragraph_texts(Path(args.essay_text), data)
        except (OSError, KeyError, ValueError) as exc:
            _err(f"{args.essay_text}: cannot read paragraph texts: {exc}")
            return EXIT_UNREADABLE
        if not args.quiet:
            print(f"loaded the text of {n} paragraphs to check quotes", file=sys.stderr)
        report = validate_graph(data)
    else:
        report = built.report
    if not args.quiet:
        print(f"validated in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    rendered = {"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}
    sys.stdout.write(rendered[args.format]().rstrip("\n") + "\n")
    return EXIT_OK if report.conforms else EXIT_VIOLATIONS


def cmd_query(args) -> int:
    """Run a SPARQL query over the dataset on pyoxigraph, as the endpoint answers it."""
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
    found = analyse(text)
    try:
        check(found)  # the endpoint's guard: no update, no SERVICE, no hostile nesting
    except QueryRefused as exc:
        _err(str(exc))
        return EXIT_UNREADABLE
    built = _build(args, verbose=not args.quiet)
    store = ox.Store()  # the graphs of the view, as the service holds them
    store.bulk_extend(built.quads(args.view))
    # As the endpoint: the default graph is the union (plain: the files' default graph),
    # unless the query's FROM says otherwise.
    union = not built.plain and not found.dataset_clause
    try:
        result = store.query(text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=union)
        out = format_results(result, args.format)
    except SyntaxError as exc:
        _err(f"malformed query: {exc}")
        return EXIT_UNREADABLE
    except RuntimeError as exc:  # an extension function pyoxigraph does not know
        _err(f"the query cannot run: {exc}")
        return EXIT_UNREADABLE
    sys.stdout.buffer.write(out if out.endswith(b"\n") else out + b"\n")
    sys.stdout.flush()
    return EXIT_OK


#: The project's prefixes, which queries on the command line may use without declaring them.
QUERY_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
#: SPARQL 1.1 Query Results formats, written by pyoxigraph as the endpoint writes them.
RESULTS_FORMATS = ("json", "csv", "tsv")


def format_results(result, fmt: str) -> bytes:
    """Write a pyoxigraph query result: a table, or SPARQL 1.1 JSON, CSV or TSV; graphs as Turtle."""
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=QUERY_PREFIXES) or b""
    if fmt in RESULTS_FORMATS:
        return result.serialize(format=formats.results_format(formats.BY_NAME[fmt]))
    if isinstance(result, ox.QueryBoolean):
        return b"true" if result else b"false"
    return results_table(result).encode("utf-8")


def results_table(solutions) -> str:
    """Render SELECT results (pyoxigraph QuerySolutions) as a plain text table."""
    names = [v.value for v in solutions.variables]
    rows = [[_cell(row[n]) for n in names] for row in solutions]
    table = [names] + rows
    widths = [max(len(r[i]) for r in table) for i in range(len(names))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _cell(term) -> str:
    """A term as a reader writes it: the IRI, the literal's text, _:blank."""
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def cmd_export(args) -> int:
    """Write the dataset (asserted, inferred or all) in an RDF format, literals as parsed."""
    built = _build(args, verbose=True)
    data = built.serialize(EXPORT_FORMATS[args.format], args.view)
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK


def cmd_stats(args) -> int:
    """Print triple counts, instances per class and statements per paragraph."""
    built = _build(args, verbose=True)
    print(f"triples asserted: {built.asserted_count}")
    print(f"triples inferred: {built.inferred_count}")
    if built.plain:
        print(f"  default graph: {built.count(None)}")
    for name in built.named_graphs():
        print(f"  graph {name}: {built.count(name)}")
    if built.plain:  # the rest counts the essay's classes, paragraphs and propositions
        return EXIT_OK
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
            raise SystemExit(EXIT_ENVIRONMENT)
        password = os.environ["EURASIA_KG_PASSWORD"]
    return user, password


def cmd_build(args) -> int:
    """Parse, reason over and validate once, and write a store that `serve --store` opens."""
    options = _build_options(args)
    if options is None:
        return EXIT_UNREADABLE
    try:
        manifest = build_store(Path(args.output), **options, verbose=not args.quiet)
    except NotConforming as exc:  # told apart by type, never by the message
        _err(str(exc))
        return EXIT_VIOLATIONS
    except StoreError as exc:  # not a store it may replace, or a place it cannot write
        _err(str(exc))
        return EXIT_ENVIRONMENT
    print(json.dumps(manifest.data, indent=2))
    return EXIT_OK


def cmd_publish(args) -> int:
    """Load a built store into a remote SPARQL store, replacing the previous version."""
    def progress(message):
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        counts = publish_store(Path(args.store), args.to, auth=_auth(args.auth), progress=progress)
    except (StoreError, RemoteError, ValueError) as exc:  # ValueError: not an http(s) URL
        _err(str(exc))
        return EXIT_ENVIRONMENT
    for name, count in counts.items():
        print(f"{name}\t{count}")
    progress(f"published {sum(counts.values())} triples to {args.to} in "
             f"{time.perf_counter() - started:.1f} s; counts verified")
    return EXIT_OK


def cmd_synthetic(args) -> int:
    """Write synthetic data of the essay graph's shape (see graph/synthetic.py)."""
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
    """Serve the SPARQL endpoint, pages, validation service and downloads over HTTP."""
    if (args.store or args.remote) and (args.data or args.graph or args.with_shipped or args.plain
                                        or args.base or args.reasoner != "auto"):
        _err("--store and --remote serve data built before; --data, --graph, --with-shipped, "
             "--plain, --base and --reasoner go to `eurasia-kg build`")
        return EXIT_UNREADABLE
    options = {} if args.store or args.remote else _build_options(args)
    if options is None:
        return EXIT_UNREADABLE
    config = {
        "STORE": args.store, "REMOTE": args.remote, "REMOTE_AUTH": _auth(args.auth),
        "DATA_FILES": options.get("data_files"), "WITH_SHIPPED": options.get("with_shipped"),
        "NAMED_GRAPH_FILES": options.get("named_graph_files"), "PLAIN": options.get("plain", False),
        "BASE": options.get("base"), "REASONER": options.get("reasoner", "auto"),
        "QUERY_TIMEOUT": args.timeout, "MAX_ROWS": args.max_rows,
        "EXECUTORS": args.threads, "QUERY_CACHE": not args.no_cache,
    }
    started = time.perf_counter()
    try:
        app = create_app(config)
    except SourceUnavailable as exc:
        _err(str(exc))
        return EXIT_ENVIRONMENT
    except StartupError as exc:  # the data does not conform
        _err(str(exc))
        return EXIT_VIOLATIONS
    served = app.extensions["eurasia_kg.dataset"]
    how = {"embedded": "built as it is (plain)" if served.plain else "built and validated",
           "store": f"opened from {args.store}", "remote": f"published at {args.remote}"}[served.kind]
    print(f"dataset {served.version}: {served.total_triples()} triples, {how} "
          f"in {time.perf_counter() - started:.2f} s", file=sys.stderr, flush=True)
    serve(app, host=args.host, port=args.port, workers=args.workers, threads=args.threads,
          timeout=args.timeout, http_server=args.http_server)
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the eurasia-kg command."""
    parser = argparse.ArgumentParser(
        prog="eurasia-kg",
        description="A knowledge graph of Zhao Huasheng's essay 'China and Russia: Dialog in the\n"
                    "Face of External Challenges': validate, query, export and describe it.",
        epilog=EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('eurasia-kg')}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="validate RDF files against the SHACL shapes",
                       description="Validate RDF files (any format pyoxigraph reads; default: "
                                   "the shipped graph) together with the ontology against the shapes, "
                                   "after OWL 2 RL reasoning. Exit 0 conforms, 1 violations, "
                                   "2 unreadable input.")
    p.add_argument("files", nargs="*", metavar="FILE")
    _add_data_options(p, files=False, plain=False)
    p.add_argument("--format", choices=["text", "turtle", "json"], default="text",
                   help="report format (default: text)")
    p.add_argument("--essay-text", metavar="TSV",
                   help="the essay's paragraphs.tsv: also check every quote is verbatim")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("query", help="run a SPARQL query",
                       description="Run a read-only SPARQL query over the dataset on pyoxigraph, "
                                   "the engine the endpoint answers with, over the dataset it serves: "
                                   "the default graph is the union of the graphs (with --plain, the "
                                   "files' default graph) unless the query has FROM; SERVICE and "
                                   "updates are refused. The project's prefixes (ekg:, ekgid:, rdfs:, "
                                   "...) need no PREFIX line here.")
    p.add_argument("query", nargs="?", help="the query text")
    p.add_argument("--file", metavar="Q.rq", help="read the query from a file")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table",
                   help="table (default), or SPARQL 1.1 results as CSV, TSV (terms in N-Triples "
                        "syntax) or JSON; CONSTRUCT and DESCRIBE write Turtle")
    _add_view_options(p)
    _add_data_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("export", help="write the dataset as RDF",
                       description="Write the dataset to stdout or a file.")
    p.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="ttl",
                   help="ttl (default), nt, jsonld: the triples; trig, nq: with their graphs")
    p.add_argument("-o", "--output", metavar="FILE")
    _add_view_options(p)
    _add_data_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="print counts", description=cmd_stats.__doc__)
    _add_data_options(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("serve", help="serve the SPARQL endpoint and the validation service",
                       description=cmd_serve.__doc__ + " The dataset is built, reasoned over and "
                       "validated before the first request; startup fails if it does not: exit 1 "
                       "the data violates the shapes, 2 it does not parse, 3 the store or remote "
                       "store cannot be opened or reached.")
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
    p.add_argument("--http-server", choices=HTTP_SERVERS, default="granian",
                   help="the HTTP server in front of the application (default granian, which "
                        "parses HTTP in Rust; gunicorn parses it in Python, at more CPU per request)")
    _add_data_options(p)
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
                       "untouched: the new one is written beside it and switched in at the end. "
                       "Exit 0 built, 1 the data violates the shapes, 2 it does not parse, 3 the "
                       "store cannot be written there.")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the store (a link to the newest build)")
    _add_data_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("publish", help="load a built store into a remote SPARQL store",
                       description=cmd_publish.__doc__ + " One named graph per part, through the "
                       "Graph Store Protocol, switched in with one SPARQL Update; the triple counts "
                       "are verified afterwards. Exit 0 published, 3 failed (the previous version stays).")
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
    """Run the command line; return the exit code (EXIT_STATUS says what each one means)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    report_ill_typed_literals()
    try:
        if argv[:1] == ["synthetic"]:  # its own options, which argparse would not pass through
            code = synthetic_main(argv[1:])
        else:
            args = make_parser().parse_args(argv)
            code = args.func(args)
        sys.stdout.flush()  # a reader that has gone shows here, not in Python's exit
        return code
    except BrokenPipeError:
        return stop_quietly_on_a_closed_pipe()
    except DataError as exc:  # unreadable input, stated plainly
        _err(str(exc))
        return EXIT_UNREADABLE
    except BuildError as exc:  # OWL 2 RL found the data inconsistent
        _err(str(exc))
        return EXIT_VIOLATIONS
    except OSError as exc:  # a file the command writes, a resource it needs
        _err(str(exc))
        return EXIT_ENVIRONMENT


def stop_quietly_on_a_closed_pipe() -> int:
    """Stop as `cat` or `yes` do when the reader of their output has gone (`stats | head`):
    killed by SIGPIPE, without a word on stderr."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush
    except (OSError, ValueError):  # stdout is no file (tests capture it)
        pass
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)
    return 128 + signal.SIGPIPE  # where SIGPIPE cannot end the process, the shell's number for it


if __name__ == "__main__":
    sys.exit(main())
