"""Small value types shared by every part."""

from __future__ import annotations

__all__ = ["Secret"]


class Secret:
    """A string that must not appear in logs or reprs (PINs, passwords, API secrets).

    >>> s = Secret("1234")
    >>> s
    Secret('**********')
    >>> str(s)
    '**********'
    >>> s.reveal()
    '1234'
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value itself."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)
