"""The global graph of outputs that pw.run() computes."""

from vigil import _vigil


class _Graph:
    def clear(self) -> None:
        """Forgets every registered output (io.*.write, io.subscribe), as Pathway's
        G.clear() does between tests."""
        _vigil.clear_outputs()


G = _Graph()
