"""Ill-typed literals ("abc"^^xsd:integer) are data, which RDF allows, not a fault of the program.

rdflib logs a warning with a traceback each time it makes such a literal (when a file is
parsed, when a page reads the literal again). The command and the service say it in one line
per literal instead, at most MAX_REPORTED of them per process.
"""

from __future__ import annotations

import logging
import threading

#: Ill-typed literals named one by one; past this many, one more line says that others follow.
MAX_REPORTED = 100
#: rdflib's function that warns when a lexical form is not one of its datatype.
_CONVERSION = "_castLexicalToPython"


class OneLinePerLiteral(logging.Filter):
    """Turn rdflib's warning about an ill-typed literal into one line, said once per literal."""

    def __init__(self):
        super().__init__()
        self._said: set = set()
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.funcName != _CONVERSION or not record.exc_info:
            return True
        _, error, trace = record.exc_info
        where = trace.tb_frame.f_locals if trace is not None else {}
        lexical, datatype = where.get("lexical"), where.get("datatype")
        with self._lock:
            if (lexical, datatype) in self._said or len(self._said) > MAX_REPORTED:
                return False
            self._said.add((lexical, datatype))
            if len(self._said) > MAX_REPORTED:
                line = f"eurasia-kg: more than {MAX_REPORTED} ill-typed literals; the others are not listed"
            else:
                line = (f'eurasia-kg: ill-typed literal "{lexical}"^^<{datatype}>, kept as written '
                        f"({type(error).__name__}: {error})")
        record.msg, record.args, record.exc_info, record.exc_text = line, (), None, None
        return True


_installed = threading.Lock()


def report_ill_typed_literals() -> None:
    """Make rdflib report ill-typed literals in one line each, in this process (idempotent)."""
    logger = logging.getLogger("rdflib.term")
    with _installed:
        if not any(isinstance(f, OneLinePerLiteral) for f in logger.filters):
            logger.addFilter(OneLinePerLiteral())
