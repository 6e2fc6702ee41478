"""Check a query's text before any engine sees it: updates, SERVICE and deep nesting are refused.

A lexical scan, not a parse: it skips strings, IRIs and comments, so it is safe to run on
anything a client sends, and it stops what would crash or escape an engine (pyoxigraph 0.5.13
segfaults near 5,000 levels of nesting) before the engine parses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import QueryRefused

#: Deeper nesting than this is refused before it reaches the engine (pyoxigraph 0.5.13
#: segfaults near 5,000 levels; rdflib raises RecursionError far earlier).
MAX_NESTING = 200

#: The tokens of a query as this scan reads them (remote.rewrite cuts queries along them too).
TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'       # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'                  # strings
    r"|'(?:[^'\\\n]|\\.)*'"
    # IRIs as SPARQL's IRIREF reads them: a no-break space or a \u escape may be in one. Where
    # this scan stopped short of the >, it read the rest as code, and a # there as a comment
    # that hid what followed from it (not from the engine).
    r"|<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"
    r"|#[^\r\n]*"                            # comments (a carriage return ends one too)
    r"|[{}()]"                               # nesting
    r"|[?$]\w+"                              # variables
    r"|(?:[A-Za-z][\w.-]*)?:(?:[\w.:%-]|\\.)*"  # prefixed names (schema:Service is no keyword,
    r"|[A-Za-z_]\w*",                        # ex:it\'s has no string); keywords
)
#: SERVICE as an engine reads it, wherever this scan thinks strings, IRIs and comments are:
#: the word (not the end of a name) followed by SILENT, an IRI, a variable or a prefixed name.
#: A scan cannot always tell the < of an IRI from less-than (FILTER(?x<'a>b')), and a wrong
#: guess hides the text after it; this check does not depend on the guess.
_SERVICE_WORD = re.compile(
    r"(?<![^\W\d]|[:?$@_/#=&%-])SERVICE"
    r"(?:[<?$]|(?:\s|#[^\r\n]*)+(?:SILENT\b|[<?$]|[\w.\u00b7-]*:))", re.IGNORECASE)
_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass
class Analysis:
    """What a lexical scan of a query shows before any engine parses it."""

    depth: int = 0
    service: bool = False
    first_keyword: str = ""
    dataset_clause: bool = False  #: FROM or FROM NAMED outside any group


def analyse(text: str) -> Analysis:
    """Scan a query, skipping strings, IRIs and comments: nesting depth, SERVICE, keyword."""
    result = Analysis()
    depth = 0
    awaiting_iri = False  # inside a PREFIX or BASE declaration
    for token in TOKENS.findall(text):
        if token in ("{", "("):
            depth += 1
            result.depth = max(result.depth, depth)
        elif token in ("}", ")"):
            depth -= 1
        elif token[0] == "<":
            awaiting_iri = False
        elif token[0].isalpha() or token[0] == "_":
            if ":" in token:
                continue
            upper = token.upper()
            if upper == "SERVICE":
                result.service = True
            if upper == "FROM" and depth == 0:
                result.dataset_clause = True
            if upper in ("PREFIX", "BASE"):
                awaiting_iri = True
            elif not result.first_keyword and not awaiting_iri:
                result.first_keyword = upper
    result.service = result.service or bool(_SERVICE_WORD.search(text))
    return result


def check(found: Analysis) -> None:
    """Refuse what must never reach the engine (from the query's analysis); raise QueryRefused."""
    if found.first_keyword in _UPDATE_KEYWORDS:
        raise QueryRefused("This endpoint is read-only: SPARQL Update "
                           f"({found.first_keyword}) is not accepted.", 403)
    if found.service:
        raise QueryRefused("SERVICE is not allowed: this endpoint never queries other endpoints.", 403)
    if found.depth > MAX_NESTING:
        raise QueryRefused(f"The query nests {found.depth} levels deep; the limit is {MAX_NESTING}.")
