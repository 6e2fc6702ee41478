"""The SHACL shapes that the eurasia-kg data must satisfy."""

from importlib.resources import files


def shapes_file():
    """Return the Turtle file holding every shape."""
    return files(__name__) / "shapes.ttl"
