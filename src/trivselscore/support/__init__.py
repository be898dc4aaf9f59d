"""Support: plumbing with no knowledge of questionnaires (caches, optional extras).

The lowest wing: it imports nothing of ours but :mod:`trivselscore.errors`.
"""

from __future__ import annotations

from trivselscore.support.cache import IdentityCache, LifetimeCache
from trivselscore.support.optional import require

__all__ = [
    "IdentityCache",
    "LifetimeCache",
    "require",
]
