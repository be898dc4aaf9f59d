"""The counts a fremgang model publishes, registered where the other tables count the same people.

The model's persons (n) are the change table's pairs on the same scale
(``("pairs", measure, scale, start, end, all)``) less those left out (a covariate
unknown, or a small group: ``excluded``), and its fremgang those pairs' fremgang
categories (the change table's keys) less the left out's: with these relations a
release protects the model's counts and the change table's together. Keys:
``("predictors", measure, scale, start, end, covariates, name)`` for ``n``,
``left_out`` (persons - n), ``excluded`` (pairs - n), ``improved``,
``not_improved`` and, per text covariate, ``("level", covariate, label)``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.change import ChangeCategory
from trivselscore.study.cells import ALL, Ledger, same_people
from trivselscore.study.rules import rule_key

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.change.classify import ChangeBatch
    from trivselscore.study.view import StudyView

__all__ = ["register"]


def register(  # noqa: PLR0913 - the model, then what it counts
    ledger: Ledger,
    study: StudyView,
    batch: ChangeBatch,
    *,
    what: tuple[str, str, str, str],
    covariates: tuple[str, ...],
    masks: tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]],
) -> dict[str, Hashable]:
    """Register the model's counts; their keys (``base``: the model's own key prefix).

    persons = n + left out; pairs = n + excluded; n = improved + not improved.
    """
    paired, used, outcome = masks
    measure, scale, start, end = what
    base = ("predictors", measure, scale, start, end, covariates)
    people: Hashable = same_people(study.measure(measure).instrument, scale)
    if batch.baseline:
        people = (people, "baseline")
    keys: dict[str, Hashable] = {
        name: (*base, name) for name in ("n", "left_out", "improved", "not_improved")
    }
    keys |= {
        "base": base,
        "excluded": (*base, "excluded"),
        "pairs": ("pairs", measure, people, start, end, ALL),
    }
    put = ledger.put
    put(
        ("persons", ALL),
        study.n_persons,
        table="predictors",
        column="persons",
        role="headline",
        total_row=True,
        keep=True,
    )
    put(
        keys["pairs"],
        int(paired.sum()),
        table="predictors",
        column="pairs",
        role="pairs",
        keep=True,
        total_row=True,
        field=False,
    )
    put(keys["n"], int(used.sum()), table="predictors", column="n", role="denominator", keep=True)
    put(keys["left_out"], int((~used).sum()), table="predictors", column="left_out")
    put(keys["excluded"], int((paired & ~used).sum()), table="predictors", column="excluded")
    put(keys["improved"], int((used & outcome).sum()), table="predictors", column="improved", role="result")
    put(
        keys["not_improved"],
        int((used & ~outcome).sum()),
        table="predictors",
        column="not_improved",
        role="result",
        field=False,
    )
    ledger.relate(("persons", ALL), [keys["n"], keys["left_out"]])
    ledger.relate(keys["pairs"], [keys["n"], keys["excluded"]])
    ledger.relate(keys["n"], [keys["improved"], keys["not_improved"]])
    _link_categories(ledger, batch, what=what, masks=masks, keys=keys)
    return keys


def _link_categories(
    ledger: Ledger,
    batch: ChangeBatch,
    *,
    what: tuple[str, str, str, str],
    masks: tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]],
    keys: dict[str, Hashable],
) -> None:
    """The change table's fremgang categories (same keys) = the model's fremgang + the excluded's."""
    paired, used, outcome = masks
    measure, scale, start, end = what
    found = np.array([str(c) for c in batch.categories], dtype=object)
    better = [c for c in batch.rule.categories if c.broad is ChangeCategory.IMPROVEMENT]
    category_keys = []
    for c in better:
        key = ("category", measure, scale, start, end, rule_key(batch.rule), str(c), ALL)
        ledger.put(
            key,
            int((paired & (found == str(c))).sum()),
            table="predictors",
            column="category",
            role="result",
            total_row=True,
            field=False,
        )
        category_keys.append(key)
    base = keys["base"]
    assert isinstance(base, tuple)  # noqa: S101 - built above
    total, rest = (*base, "pairs_improved"), (*base, "excluded_improved")
    ledger.put(total, int((paired & outcome).sum()), table="predictors", column="pairs_improved", field=False)
    ledger.put(
        rest,
        int((paired & ~used & outcome).sum()),
        table="predictors",
        column="excluded_improved",
        field=False,
    )
    ledger.relate(total, category_keys)
    ledger.relate(total, [keys["improved"], rest])
