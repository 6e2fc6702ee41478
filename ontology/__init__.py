"""The eurasia-kg ontology: its namespaces and its Turtle files."""

from importlib.resources import files

from rdflib import Namespace

#: Terms (classes, properties, concepts) of the project: hash IRIs.
EKG = Namespace("https://w3id.org/eurasia-kg/ontology#")
#: Individuals described by the graph; they never change with where the server runs.
EKGID = Namespace("https://w3id.org/eurasia-kg/id/")
#: Paragraphs of the essay: PARA["p10"] is paragraph 10.
PARA = Namespace("https://w3id.org/eurasia-kg/id/essay/")
#: Named graphs of the dataset.
GRAPHS = Namespace("https://w3id.org/eurasia-kg/graph/")
#: schema.org, in its https form only (rdflib's SDO).
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "ekg": EKG,
    "ekgid": EKGID,
    "para": PARA,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "oa": OA,
    "vann": VANN,
    "wd": WD,
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "dct": Namespace("http://purl.org/dc/terms/"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "foaf": Namespace("http://xmlns.com/foaf/0.1/"),
}


def ontology_files():
    """Return the ontology's Turtle files (classes and properties, propositions, concept schemes)."""
    here = files(__name__)
    return [here / "eurasia.ttl", here / "propositions.ttl", here / "schemes.ttl"]
