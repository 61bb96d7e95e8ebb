"""The common base of every invoice model class (frozen, no unknown fields, trimmed texts)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["UblModel"]


class UblModel(BaseModel):
    """Immutable pydantic model: unknown fields are refused, texts are trimmed."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        validate_default=False,
    )
