"""The result of validating one document: :class:`ValidationReport`.

Findings are kept in pipeline order (parse, XSD, schematron, entegrator's rules) and, within
a layer, in document order. ``gib_code`` is the status code a receiver answers GİB with
(Ek-2 §4): the code of the first error of the first failing layer, ``None`` when the
document is valid (the caller then continues and, if nothing else fails, answers 1200).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from entegrator.validation.errors import DocumentInvalid
from entegrator.validation.findings import LAYER_ORDER, Finding, Severity
from entegrator.validation.kinds import DocumentKind

__all__ = ["ValidationReport"]


def _order(finding: Finding) -> tuple[int, int]:
    return LAYER_ORDER[finding.layer], finding.line or 0


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Everything validation found in one document (envelope: including its documents)."""

    kind: DocumentKind | None
    findings: tuple[Finding, ...]
    profile_id: str | None = None

    @classmethod
    def of(
        cls,
        kind: DocumentKind | None,
        findings: list[Finding],
        profile_id: str | None = None,
    ) -> ValidationReport:
        """Build a report, putting ``findings`` in pipeline and document order."""
        return cls(kind, tuple(sorted(findings, key=_order)), profile_id)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error-severity findings."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The warning-severity findings."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """Whether the document has no error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def gib_code(self) -> int | None:
        """GİB status code of the first error of the first failing layer; ``None`` if valid."""
        for finding in self.findings:
            if finding.severity is Severity.ERROR and finding.gib_code is not None:
                return finding.gib_code
        return None

    def raise_for_errors(self) -> ValidationReport:
        """Return ``self`` when valid, else raise :class:`DocumentInvalid`."""
        if not self.ok:
            raise DocumentInvalid(self)
        return self

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "ok": self.ok,
            "gib_code": self.gib_code,
            "kind": self.kind.value if self.kind else None,
            "profile_id": self.profile_id,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }
