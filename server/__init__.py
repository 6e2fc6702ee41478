"""The eurasia-kg web service: SPARQL 1.1 endpoint, pages, validation, dataset description.

The application is in server.app (create_app, load_served, ...). It is imported on first use,
so that the query executors, which import only server.engine, start without loading Flask,
rdflib or pySHACL.
"""

_APPLICATION = {"create_app", "load_served", "DEFAULTS", "ServedDataset", "StartupError",
                "SourceUnavailable"}


def __getattr__(name):
    if name in _APPLICATION:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
