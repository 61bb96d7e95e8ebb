"""Errors of the render part: a document that cannot be shown, or an embedded XSLT we refuse."""

from __future__ import annotations

from typing import Literal

from entegrator.errors import DocumentError

__all__ = ["EmbeddedStylesheetError", "RenderError"]

#: Why a document's own stylesheet was not used: it has none, it breaks the sandbox rules,
#: it failed while running, or it ran out of time or memory.
EmbeddedProblem = Literal["missing", "unsafe", "failed", "timeout"]


class RenderError(DocumentError):
    """The document cannot be rendered (wrong document type, broken HTML, PDF failure)."""


class EmbeddedStylesheetError(RenderError):
    """The document's own (embedded) XSLT is missing, refused or failed in the sandbox."""

    def __init__(self, message: str, *, problem: EmbeddedProblem) -> None:
        super().__init__(message)
        self.problem: EmbeddedProblem = problem
