"""Sex as people answer it: the categories a respondent's sex is stored as, and the words read as them.

Danish surveys offer a third answer (andet) and a way not to answer; both are
categories here, never an error and never a guess. Sex-specific band tables and
norm rows are published for girls and boys only (:data:`Sex`).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SEX_CATEGORIES", "SEX_WORDS", "Sex", "SexCategory", "sex_category"]

Sex = Literal["female", "male"]
"""The sexes a band table or norm row can be published for (sex-specific cutoffs and norms)."""

SexCategory = Literal["female", "male", "other", "unknown"]
"""How a respondent's sex is stored: ``female``, ``male``, ``other`` (a third answer: andet,
ikke-binær, non-binary) or ``unknown`` (uoplyst, ved ikke, ønsker ikke at svare).

Persons of every category are scored and counted; only ``female`` and ``male`` can match a
sex-specific band table or norm row, so ``other`` and ``unknown`` get no band or T-score from
one, with the reason said (never a guess)."""

SEX_CATEGORIES: tuple[SexCategory, ...] = ("female", "male", "other", "unknown")
"""The categories, in the order reports show them."""

SEX_WORDS: Mapping[str, SexCategory] = MappingProxyType(
    {
        "female": "female",
        "f": "female",
        "pige": "female",
        "kvinde": "female",
        "k": "female",
        "male": "male",
        "m": "male",
        "dreng": "male",
        "mand": "male",
        "other": "other",
        "andet": "other",
        "anden": "other",
        "andet køn": "other",
        "ikke-binær": "other",
        "ikke binær": "other",
        "ikkebinær": "other",
        "non-binær": "other",
        "nonbinær": "other",
        "non-binary": "other",
        "non binary": "other",
        "nonbinary": "other",
        "unknown": "unknown",
        "uoplyst": "unknown",
        "ukendt": "unknown",
        "ved ikke": "unknown",
        "ønsker ikke at svare": "unknown",
        "ønsker ikke at oplyse": "unknown",
        "vil ikke svare": "unknown",
        "vil ikke oplyse": "unknown",
        "prefer not to say": "unknown",
        "prefer not to answer": "unknown",
        "don't know": "unknown",
        "not stated": "unknown",
    }
)
"""Words ``Respondent.sex`` accepts (compared case-insensitively, surrounding whitespace
stripped), English and Danish, each mapped to a :data:`SexCategory`: pige/dreng = girl/boy,
kvinde/mand = woman/man, K/M as in Danish registers; andet/anden/ikke-binær (a third answer
every Danish survey offers) = ``other``; uoplyst/ved ikke/ønsker ikke at svare = ``unknown``.
Other codes (``1``/``2``/``3``) are mapped by the caller, e.g. ``[sex_codes]`` in STUDY.toml."""


def sex_category(value: str) -> SexCategory | None:
    """The category of a sex word (:data:`SEX_WORDS`), or None if the word is not one.

    Case, surrounding whitespace and repeated inner spaces are ignored.

    Examples:
        >>> [sex_category(w) for w in ("Pige", " ANDET ", "Ønsker  ikke at svare", "3")]
        ['female', 'other', 'unknown', None]
    """
    return SEX_WORDS.get(" ".join(value.split()).casefold())
