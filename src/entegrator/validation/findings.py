"""What a validation layer reports: one :class:`Finding` per problem, never an exception.

A finding says how bad it is (:class:`Severity`), which layer produced it (:class:`Layer`),
the GİB status code a receiver would answer with for it (GİB e-Fatura Sistem Yanıtı, Ek-2
§4: 1132 XML DOSYASI DEGIL, 1140 DOKUMAN AYRISTIRILAMADI, 1150 SCHEMATRON KONTROL SONUCU
HATALI, 1160 XML SEMA KONTROLUNDEN GECEMEDI, 1177 GEÇERSİZ İMZA), a stable rule id, a
Turkish message and where in the document it is (XPath and source line).

>>> f = Finding(rule="TR-ARITH-001", layer=Layer.RULES, gib_code=GIB_SCHEMATRON,
...             message="Satır 1 tutarı tutmuyor", xpath="/inv:Invoice[1]", line=3)
>>> f.is_error, f.to_dict()["severity"]
(True, 'error')
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

__all__ = [
    "GIB_INVALID_SIGNATURE",
    "GIB_NOT_XML",
    "GIB_SCHEMATRON",
    "GIB_UNPARSABLE",
    "GIB_XSD",
    "Finding",
    "Layer",
    "Severity",
]

#: 1132 XML DOSYASI DEGIL — the bytes are not (acceptable) XML.
GIB_NOT_XML: Final = 1132
#: 1140 DOKUMAN AYRISTIRILAMADI — well-formed XML, but no document GİB knows can be read out.
GIB_UNPARSABLE: Final = 1140
#: 1150 SCHEMATRON KONTROL SONUCU HATALI — a business rule failed.
GIB_SCHEMATRON: Final = 1150
#: 1160 XML SEMA KONTROLUNDEN GECEMEDI — the XSD rejected the document.
GIB_XSD: Final = 1160
#: 1177 GEÇERSİZ İMZA — the signature cannot be valid (structure or references broken).
GIB_INVALID_SIGNATURE: Final = 1177


class Severity(StrEnum):
    """How bad a finding is; only errors make a document invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Layer(StrEnum):
    """The validation layer that produced a finding, in the order the layers run."""

    PARSE = "parse"
    XSD = "xsd"
    SCHEMATRON = "schematron"
    RULES = "rules"


#: Position of each layer in the pipeline (report ordering, "first failing layer").
LAYER_ORDER: Final[dict[Layer, int]] = {layer: index for index, layer in enumerate(Layer)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a document.

    ``rule`` is stable and never reused: a GİB schematron assert id (``InvoiceIDCheck-1``),
    ``xsd-<libxml2 error type>`` for the XSD, or one of entegrator's ``TR-…`` ids
    (catalogue: :mod:`entegrator.validation.rules.catalog`). ``gib_code`` is ``None`` for
    findings that never lead to a rejection (information). ``detail`` keeps the original
    wording of the library or the tested expression, for support staff.
    """

    rule: str
    layer: Layer
    gib_code: int | None
    message: str
    severity: Severity = Severity.ERROR
    xpath: str | None = None
    line: int | None = None
    detail: str | None = None

    @property
    def is_error(self) -> bool:
        """Whether this finding makes the document invalid."""
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``None`` fields left out)."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "layer": self.layer.value,
            "gib_code": self.gib_code,
            "message": self.message,
        }
        for key in ("xpath", "line", "detail"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data
