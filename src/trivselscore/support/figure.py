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
    from collections.abc import Sequence

    from matplotlib.figure import Figure

__all__ = ["fit_margins", "new_figure"]  # and NotebookFigure, built on first use (see __getattr__)

_CHAR = 0.62 / 72  # inches per point of font size per character: an upper estimate for a sans-serif font


def new_figure(**options: Any) -> Figure:  # noqa: ANN401 - matplotlib's own keyword arguments
    """``matplotlib.figure.Figure(**options)`` that a notebook shows as a picture.

    Raises:
        ImportError: matplotlib is not installed (the message names the extra ``plot``).
    """
    require("matplotlib.figure", "plot")  # each time: the message names the extra when it is missing
    figure: Figure = _figure_class()(**options)
    return figure


def fit_margins(  # noqa: PLR0913 - the figure, then what its margins must hold
    figure: Figure,
    *,
    left: Sequence[str] = (),
    right: Sequence[str] = (),
    size: float = 10.0,
    lines: int = 1,
    below: int = 0,
    last_tick: str = "",
) -> None:
    """Fixed margins computed from the labels, without a layout solver.

    ``left``: the y tick labels; ``right``: the legend's entries when it stands
    right of the plot (drawn at size 8); ``lines``: lines of the x tick labels;
    ``below``: lines of a legend under the plot (the figure grows to hold them);
    ``last_tick``: the last x tick label (half of it stands right of the plot).
    The left margin fits the longest tick label and the axis label, the right one
    the longest legend entry; the plot keeps at least a fifth of the width.

    Examples:
        >>> figure = new_figure(figsize=(6, 3))
        >>> _ = figure.add_subplot()
        >>> fit_margins(figure, left=["a long label"], right=["legend"])
        >>> bool(0.2 < figure.subplotpars.left < figure.subplotpars.right < 0.9)
        True
    """
    width, height = figure.get_size_inches()
    legend = 0.15 + 0.17 * below if below else 0.0
    if legend:
        height += legend
        figure.set_size_inches(width, height)
    left_in = 0.7 + max((len(line) for t in left for line in t.split("\n")), default=3) * size * _CHAR
    right_in = 0.2 + (max(len(t) for t in right) * 8 * _CHAR + 0.55 if right else 0.0)
    right_in = max(right_in, 0.1 + len(last_tick) * size * _CHAR / 2)
    low = min(left_in / width, 0.6)
    figure.subplots_adjust(
        left=low,
        right=max(1 - right_in / width, low + 0.2),
        bottom=min((0.4 + 0.2 * lines + legend) / height, 0.6),
        top=max(1 - 0.4 / height, 0.65),
    )


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
