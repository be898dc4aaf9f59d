r"""Figures that show themselves in a notebook: a matplotlib ``Figure`` with a PNG representation.

The library draws its figures without pyplot (no GUI backend, no global state), so
nothing tells Jupyter how to show one: a figure left as a cell's result would print
as ``<Figure size 750x370 with 1 Axes>`` unless ``%matplotlib inline`` was run.
:func:`new_figure` returns a :class:`NotebookFigure`, a ``matplotlib.figure.Figure``
(so everything else works as before) with ``_repr_png_``, which Jupyter and IPython
call to show an object as a picture. When pyplot's inline backend is active, its own
PNG formatter is used instead, so a figure is never shown twice.

matplotlib is optional (extra ``plot``): the class is built on first use and found
by name, so a figure pickles and unpickles like any other.

Examples:
    >>> figure = new_figure(figsize=(2, 1))
    >>> figure._repr_png_().startswith(b"\x89PNG")
    True
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Any

from trivselscore.support.optional import require

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["new_figure"]  # and NotebookFigure, built on first use (see __getattr__)


def new_figure(**options: Any) -> Figure:  # noqa: ANN401 - matplotlib's own keyword arguments
    """``matplotlib.figure.Figure(**options)`` that a notebook shows as a picture.

    Raises:
        ImportError: matplotlib is not installed (the message names the extra ``plot``).
    """
    require("matplotlib.figure", "plot")  # each time: the message names the extra when it is missing
    figure: Figure = _figure_class()(**options)
    return figure


@functools.cache
def _figure_class() -> type[Figure]:
    base: type[Figure] = require("matplotlib.figure", "plot").Figure

    class NotebookFigure(base):  # type: ignore[valid-type,misc]
        """A matplotlib Figure that Jupyter shows as a PNG when it is a cell's result."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png")
            return buffer.getvalue()

    NotebookFigure.__module__ = __name__
    NotebookFigure.__qualname__ = "NotebookFigure"
    return NotebookFigure


def __getattr__(name: str) -> object:
    """``NotebookFigure`` by name (pickle looks it up so); built when first asked for."""
    if name == "NotebookFigure":
        return _figure_class()
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
