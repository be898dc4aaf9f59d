r"""Before anything is written: the output paths, and the labels the outputs will show.

* An output path that names an input (the data, STUDY.toml, a norm file) or the
  other output is refused with one line (symbolic links followed, compared
  without case, hard links found: :func:`~trivselscore.tabular.atomic.same_file`).
* A label with a control character (a C0 or C1 control such as a tab, line
  break or bell, DEL, or a Unicode line or paragraph separator) is refused with
  one line naming the label and where it comes from: labels are shown as one
  line of text in the HTML, the workbook and the figures, and such a character
  would be invisible there, break a line, or be refused by Excel's XML.

Examples:
    >>> control_character("spor\x07a")
    '\x07'
    >>> control_character("Sammen på sporet") is None
    True
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from trivselscore.tabular.atomic import same_file

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from pathlib import Path

    from trivselscore.report.build import Content

__all__ = ["check_labels", "check_outputs", "control_character"]

_SEPARATORS = frozenset({"Zl", "Zp"})


def control_character(text: str) -> str | None:
    """The first control character (or line/paragraph separator) in ``text``, or None."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" or category in _SEPARATORS:
            return char
    return None


def check_outputs(outputs: Sequence[tuple[str, Path]], inputs: Mapping[str, Path]) -> None:
    """Refuse an output that names an input or another output.

    Args:
        outputs: (option, path) of each output, e.g. ``("-o", Path("rapport.html"))``.
        inputs: What each input is (``"the data file"``) -> its path.

    Raises:
        ValueError: One line naming the option, the path and what it would overwrite.
    """
    for i, (option, path) in enumerate(outputs):
        for what, source in inputs.items():
            if same_file(path, source):
                msg = f"{option} {path} would overwrite {what} {source}; write the report to another file"
                raise ValueError(msg)
        for other, second in outputs[i + 1 :]:
            if same_file(path, second):
                msg = f"{option} {path} and {other} {second} name the same file; give each its own file"
                raise ValueError(msg)


def _labels(content: Content) -> Iterator[tuple[str, str]]:
    """(where, label) of every label from STUDY.toml or the data that the report shows."""
    config, study = content.config, content.study
    yield "STUDY.toml title", config.title
    if config.data_name is not None:
        yield "STUDY.toml data_name", config.data_name
    for name in config.measures:
        yield "STUDY.toml measure name", name
    for label in study.time_points:
        yield "time point", label
    for column in study.groups:
        yield "group column name", column
        for value in study.group_values(column):
            if value is not None:
                yield f"group column {column!r}, value", str(value)
    for question in content.surveys:
        yield "STUDY.toml questions title", question.title
        yield from ((f"question {question.column!r}, answer", a) for a in question.answer_order)
    for model in content.predictors:
        yield from (("STUDY.toml predictors covariate", c) for c in model.covariates)
        yield from ((f"covariate {lv.covariate!r}, value", lv.level) for lv in model.levels)


def check_labels(content: Content) -> None:
    """Refuse a label with a control character (see the module docstring).

    Raises:
        ValueError: One line naming the label (escaped), where it comes from, and the character.
    """
    for where, label in _labels(content):
        found = control_character(label)
        if found is not None:
            msg = (
                f"{where} {label!r} contains the control character U+{ord(found):04X}; labels are shown as "
                "one line of text: remove it from the data or STUDY.toml"
            )
            raise ValueError(msg)
