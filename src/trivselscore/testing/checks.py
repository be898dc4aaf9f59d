"""Argument checks shared by the strategies and the random instruments (Hypothesis house style)."""

from __future__ import annotations

__all__ = ["real_number", "whole_number"]


def whole_number(value: object) -> bool:
    """An ``int`` that is not a ``bool``.

    Examples:
        >>> whole_number(3), whole_number(True), whole_number(3.0)
        (True, False, False)
    """
    return isinstance(value, int) and not isinstance(value, bool)


def real_number(value: object) -> bool:
    """An ``int`` or ``float`` that is not a ``bool``.

    Examples:
        >>> real_number(2.5), real_number(False)
        (True, False)
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool)
