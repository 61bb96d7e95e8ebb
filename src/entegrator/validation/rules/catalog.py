"""The catalogue of entegrator's own rule ids (``TR-…``): layer, severity, GİB code, title.

Ids are stable and never reused; ``docs/decisions/validation-rules.md`` documents each one
(a test keeps the two in step). GİB codes (Ek-2 §4): the safe-parsing rules answer 1132
XML DOSYASI DEGIL or 1140 DOKUMAN AYRISTIRILAMADI; arithmetic and cross-field rules are
business rules of the same class as GİB's schematron and answer 1150; signature-structure
rules answer 1177 GEÇERSİZ İMZA (a signature with a missing part or a dangling reference
cannot verify). Information findings have no code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from entegrator.validation.findings import (
    GIB_INVALID_SIGNATURE,
    GIB_NOT_XML,
    GIB_SCHEMATRON,
    GIB_UNPARSABLE,
    Finding,
    Layer,
    Severity,
)

__all__ = ["CATALOG", "RuleInfo", "make_finding"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What every finding of one rule has in common."""

    id: str
    layer: Layer
    severity: Severity
    gib_code: int | None
    title: str  # Turkish, one line


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_P, _R = Layer.PARSE, Layer.RULES
_BIZ, _SIG = GIB_SCHEMATRON, GIB_INVALID_SIGNATURE

_RULES: Final = (
    RuleInfo("TR-XML-001", _P, _E, GIB_NOT_XML, "Belge iyi biçimli bir XML değil"),
    RuleInfo("TR-XML-002", _P, _E, GIB_NOT_XML, "Belgede DOCTYPE/DTD ya da varlık tanımı var"),
    RuleInfo("TR-XML-003", _P, _E, GIB_NOT_XML, "Belge boyut sınırını aşıyor"),
    RuleInfo("TR-DOC-001", _P, _E, GIB_UNPARSABLE, "Kök eleman tanınan bir belge türü değil"),
    RuleInfo("TR-DOC-002", _P, _E, GIB_UNPARSABLE, "Belge türü beklenen türlerden değil"),
    RuleInfo("TR-ARITH-001", _R, _E, _BIZ, "Satır tutarı miktar × fiyat − iskonto + artırım"),
    RuleInfo("TR-ARITH-002", _R, _E, _BIZ, "İskonto/artırım tutarı matrah × oran"),
    RuleInfo("TR-ARITH-003", _R, _E, _BIZ, "Vergi tutarı matrah × oran / 100"),
    RuleInfo("TR-ARITH-004", _R, _E, _BIZ, "Vergi toplamı alt toplamların toplamı"),
    RuleInfo("TR-ARITH-005", _R, _E, _BIZ, "Tevkifat tutarı KDV × tevkifat oranı / 100"),
    RuleInfo("TR-ARITH-006", _R, _E, _BIZ, "Tevkifat toplamı alt toplamların toplamı"),
    RuleInfo("TR-ARITH-007", _R, _E, _BIZ, "Mal/hizmet toplamı satır tutarlarının toplamı"),
    RuleInfo("TR-ARITH-008", _R, _E, _BIZ, "Toplam iskonto iskontoların toplamı"),
    RuleInfo("TR-ARITH-009", _R, _E, _BIZ, "Toplam artırım artırımların toplamı"),
    RuleInfo("TR-ARITH-010", _R, _E, _BIZ, "Vergi hariç tutar = toplam − iskonto + artırım"),
    RuleInfo("TR-ARITH-011", _R, _E, _BIZ, "Vergiler dahil tutar = vergi hariç + vergiler"),
    RuleInfo("TR-ARITH-012", _R, _E, _BIZ, "Ödenecek tutar = vergiler dahil − tevkifat…"),
    RuleInfo("TR-ARITH-013", _R, _E, _BIZ, "Belge vergi toplamı satır vergilerinin toplamı"),
    RuleInfo("TR-CUR-001", _R, _E, _BIZ, "Tutarın para birimi belge para birimi değil"),
    RuleInfo("TR-CUR-002", _R, _E, _BIZ, "Döviz kuru para birimleri belgeyle uyuşmuyor"),
    RuleInfo("TR-CUR-003", _R, _E, _BIZ, "Döviz kuru sıfırdan büyük bir sayı değil"),
    RuleInfo("TR-INV-001", _R, _E, _BIZ, "Satır sayısı (LineCountNumeric) tutmuyor"),
    RuleInfo("TR-INV-002", _R, _E, _BIZ, "Satır numarası (InvoiceLine/ID) tekrarlanıyor"),
    RuleInfo("TR-INV-003", _R, _E, _BIZ, "Fatura numarasındaki yıl düzenleme yılı değil"),
    RuleInfo("TR-INV-004", _R, _W, _BIZ, "Son ödeme tarihi düzenleme tarihinden önce"),
    RuleInfo("TR-AR-001", _R, _E, _BIZ, "Yanıt tarihi yanıtlanan belgenin tarihinden önce"),
    RuleInfo("TR-ENV-001", _R, _E, _BIZ, "Zarfta aynı ETTN (UUID) birden çok belgede"),
    RuleInfo("TR-ENV-002", _R, _E, _BIZ, "Zarfta aynı fatura numarası birden çok faturada"),
    RuleInfo("TR-SIG-001", _R, _E, _SIG, "İmzanın zorunlu bir parçası eksik"),
    RuleInfo("TR-SIG-002", _R, _E, _SIG, "İmza referansı belgede bir Id ile eşleşmiyor"),
    RuleInfo("TR-SIG-003", _R, _I, None, "Belge imzasız (taslak için olağan)"),
)


def _index(rules: Iterable[RuleInfo]) -> dict[str, RuleInfo]:
    index: dict[str, RuleInfo] = {}
    for info in rules:
        if info.id in index:
            raise ValueError(f"rule id {info.id!r} catalogued twice")
        index[info.id] = info
    return index


#: Rule id → :class:`RuleInfo`, for every ``TR-…`` rule.
CATALOG: Final[Mapping[str, RuleInfo]] = _index(_RULES)


def make_finding(
    rule: str,
    message: str,
    *,
    xpath: str | None = None,
    line: int | None = None,
    detail: str | None = None,
) -> Finding:
    """A finding of catalogued ``rule`` with its layer, severity and GİB code."""
    info = CATALOG[rule]
    return Finding(
        rule=info.id,
        layer=info.layer,
        gib_code=info.gib_code,
        message=message,
        severity=info.severity,
        xpath=xpath,
        line=line,
        detail=detail,
    )
