"""Errors of the application-response models, builders and parsers."""

from __future__ import annotations

from entegrator.errors import DocumentError

__all__ = ["ResponseError"]


class ResponseError(DocumentError):
    """An application or system response cannot be built or read.

    ``problems`` lists every rule the document broke (Turkish, one line each), so a caller
    can show them all at once; the message joins them.
    """

    def __init__(self, problems: list[str] | tuple[str, ...] | str) -> None:
        items = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__("; ".join(items))
        self.problems: tuple[str, ...] = items
