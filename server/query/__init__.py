"""Queries: checked, sent to executor processes, run on pyoxigraph, written as SPARQL results."""
