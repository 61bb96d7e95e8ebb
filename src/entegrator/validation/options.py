"""What a caller can choose about one validation run (a frozen config object).

The defaults are the strict outbound setting: every layer runs and entegrator's own rules
(arithmetic, cross-field, signature structure) are errors. A receiver checking a document
that GİB already accepted passes ``rules=RuleMode.ADVISE``: GİB's XSD and schematron still
decide, our rules only warn, so we never answer GİB with a rejection GİB would not make.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from entegrator.ubl.xml import DEFAULT_MAX_BYTES
from entegrator.validation.kinds import DocumentKind

__all__ = ["RuleMode", "ValidationOptions"]


class RuleMode(StrEnum):
    """How entegrator's own rules (``TR-…``) count."""

    ENFORCE = "enforce"  # with their catalogued severity (most are errors)
    ADVISE = "advise"  # errors are downgraded to warnings
    OFF = "off"  # not run


@dataclass(frozen=True, slots=True)
class ValidationOptions:
    """Options of one validation run.

    ``earchive``: ``None`` picks the schematron's ``type`` parameter from the document
    (``earchive`` when ``cbc:ProfileID`` is EARSIVFATURA, else ``efatura``); ``True`` or
    ``False`` forces it. ``expect``: when given, a document of another kind is refused
    (rule ``TR-DOC-002``). ``skip_schematron_after_xsd_errors``: GİB reports both layers,
    so the default runs the schematron even when the XSD failed; a caller that only needs
    the verdict may skip it.
    """

    xsd: bool = True
    schematron: bool = True
    rules: RuleMode = RuleMode.ENFORCE
    earchive: bool | None = None
    expect: frozenset[DocumentKind] | None = None
    skip_schematron_after_xsd_errors: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
