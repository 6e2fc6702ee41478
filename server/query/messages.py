"""What the web worker and an executor process say to each other: a request, an answer or a
refusal, each one pickled frame with its length on the process's pipes."""

from __future__ import annotations

import pickle
import struct
from dataclasses import dataclass

class QueryRefused(Exception):
    """The query is not run: malformed, an update, SERVICE, too deep. status is 4xx (502 when
    the remote store behind the endpoint failed it)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class QueryTimeout(Exception):
    """The query ran past its time limit and was stopped."""


class ResultTooLarge(Exception):
    """The result has more rows (or triples) than the row limit."""


class EngineFailure(Exception):
    """The engine process died while running the query."""


@dataclass(frozen=True)
class QueryRequest:
    """A query with its dataset and the format its answer is wanted in."""

    text: str
    result_format: str            #: short name from server.formats ("json", "ttl", ...)
    default_graphs: tuple = ()
    named_graphs: tuple = ()
    dataset_given: bool = False   #: default-graph-uri / named-graph-uri were sent
    base_iri: str | None = None   #: for relative IRIs; the protocol lets it be the endpoint
    union_default: bool = True    #: no dataset given anywhere: the default graph is the union


@dataclass(frozen=True)
class QueryAnswer:
    """What the engine returns: the serialised body and the kind of result."""

    body: bytes
    kind: str          #: "results" (SELECT, ASK) or "graph" (CONSTRUCT, DESCRIBE)
    rows: int


#: Each frame: its length (4 bytes, network order), then the pickled message.
_HEADER = struct.Struct("!I")


def send_frame(stream, message) -> None:
    """Write one pickled message with its length."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream):
    """Read one message written by send_frame; raise EOFError when the peer is gone."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the peer closed the pipe")
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the peer closed the pipe")
    return pickle.loads(data)

