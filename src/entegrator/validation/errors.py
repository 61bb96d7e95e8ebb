"""The exception for callers that want one: :class:`DocumentInvalid`.

Validation itself never raises for a bad document; it returns a report full of findings
(see :mod:`entegrator.validation.report`). :meth:`ValidationReport.raise_for_errors` turns a
failed report into this error, which carries the GİB status code and the findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from entegrator.errors import DocumentError

if TYPE_CHECKING:
    from entegrator.validation.findings import Finding
    from entegrator.validation.report import ValidationReport

__all__ = ["DocumentInvalid"]


class DocumentInvalid(DocumentError):
    """A document failed validation; ``gib_code`` is the code to answer GİB with."""

    def __init__(self, report: ValidationReport) -> None:
        errors = report.errors
        first = errors[0] if errors else None
        summary = f"Belge geçersiz: {len(errors)} hata"
        if first is not None:
            summary += f"; ilki {first.rule}: {first.message}"
        super().__init__(summary, gib_code=report.gib_code)
        self.report = report
        self.findings: tuple[Finding, ...] = report.findings
