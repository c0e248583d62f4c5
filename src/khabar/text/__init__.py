"""khabar's Persian text engine (pure functions, no I/O).

Placeholder first version: letter and digit unification and the commonest half-space fixes.
"""

from __future__ import annotations

from khabar.text.normalize import DEFAULT, Policy, normalize

__all__ = ["DEFAULT", "Policy", "normalize"]
