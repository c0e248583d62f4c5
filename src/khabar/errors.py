"""khabar's error types. Every error names the input it is about and the reason."""

from __future__ import annotations


class KhabarError(Exception):
    """Base class for errors khabar reports to users as one clear line."""


class InputError(KhabarError):
    """An input could not be used: ``source`` names it, ``reason`` says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
