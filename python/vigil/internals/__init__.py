"""Names Pathway's tests reach into (vigil.internals.parse_graph.G.clear())."""

from vigil.internals import parse_graph

__all__ = ["parse_graph"]
