"""Optional pandas output: ``to_frame()`` on results, imported only when called."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["frame", "require"]


def require(module: str, extra: str) -> Any:  # noqa: ANN401 - an optional module has no static type here
    """Import an optional dependency, or explain how to install it.

    Raises:
        ImportError: The module is not installed; the message names the extra.
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        msg = f'this needs {module}, an optional dependency: pip install "trivselscore[{extra}]"'
        raise ImportError(msg, name=module) from error


def frame(columns: Mapping[str, Sequence[object] | Any]) -> Any:  # noqa: ANN401 - a pandas.DataFrame
    """Build a pandas DataFrame from equally long columns."""
    pandas = require("pandas", "pandas")
    return pandas.DataFrame(dict(columns))
