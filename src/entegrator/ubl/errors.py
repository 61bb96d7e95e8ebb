"""Errors of the UBL-TR document core: invalid invoice input and unreadable documents.

Every problem found in an invoice — a malformed field, a broken GİB rule, a stated total
that disagrees with the lines — is a :class:`Problem` naming the field path
(``lines[2].taxes[0].percent``) and saying what is wrong in Turkish. The checks collect
all problems before failing, so a caller sees the full list at once in
:class:`InvoiceInvalid`.

>>> error = InvoiceInvalid([Problem("number", "fatura numarası yok")])
>>> str(error)
'Fatura geçersiz (1 sorun):\\n  - number: fatura numarası yok'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from entegrator.errors import DocumentError

__all__ = ["InvoiceInvalid", "NotAnInvoice", "Problem", "format_path"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an invoice: where (dotted field path, "" = whole document) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def format_path(loc: Iterable[str | int]) -> str:
    """Turn a location tuple into a field path: ``("lines", 2, "name")`` → ``lines[2].name``.

    >>> format_path(("lines", 0, "taxes", 1, "percent"))
    'lines[0].taxes[1].percent'
    >>> format_path(())
    ''
    """
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


class InvoiceInvalid(DocumentError):
    """The invoice (JSON spec, model or parsed document) breaks one or more rules.

    ``problems`` lists every problem found; the message lists them too, one per line.
    """

    def __init__(self, problems: Sequence[Problem], *, title: str = "Fatura geçersiz") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{title} ({len(self.problems)} sorun):\n{listing}")


class NotAnInvoice(DocumentError):
    """The XML is well formed but its root is not a UBL ``Invoice``."""
