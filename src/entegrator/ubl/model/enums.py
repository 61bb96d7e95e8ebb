"""GİB's scenarios (``cbc:ProfileID``) and invoice types (``cbc:InvoiceTypeCode``).

The values are GİB's own words from the code lists ``ProfileIDType`` (+ ``EARSIVFATURA``)
and ``InvoiceTypeCodeList`` (UBL-TR_Codelist.xml, gib-protocol.md §4.4). Which combinations
GİB allows is checked by :mod:`entegrator.ubl.rules`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["InvoiceType", "Profile"]


class Profile(StrEnum):
    """The invoice scenario (senaryo)."""

    TEMELFATURA = "TEMELFATURA"
    TICARIFATURA = "TICARIFATURA"
    IHRACAT = "IHRACAT"
    YOLCUBERABERFATURA = "YOLCUBERABERFATURA"
    KAMU = "KAMU"
    OZELFATURA = "OZELFATURA"
    HKS = "HKS"
    ENERJI = "ENERJI"
    ILAC_TIBBICIHAZ = "ILAC_TIBBICIHAZ"
    YATIRIMTESVIK = "YATIRIMTESVIK"
    IDIS = "IDIS"
    EARSIVFATURA = "EARSIVFATURA"


class InvoiceType(StrEnum):
    """The invoice type (fatura tipi)."""

    SATIS = "SATIS"
    IADE = "IADE"
    TEVKIFAT = "TEVKIFAT"
    TEVKIFATIADE = "TEVKIFATIADE"
    ISTISNA = "ISTISNA"
    OZELMATRAH = "OZELMATRAH"
    IHRACKAYITLI = "IHRACKAYITLI"
    SGK = "SGK"
    KOMISYONCU = "KOMISYONCU"
    HKSSATIS = "HKSSATIS"
    HKSKOMISYONCU = "HKSKOMISYONCU"
    KONAKLAMAVERGISI = "KONAKLAMAVERGISI"
    SARJ = "SARJ"
    SARJANLIK = "SARJANLIK"
    TEKNOLOJIDESTEK = "TEKNOLOJIDESTEK"
    YTBSATIS = "YTBSATIS"
    YTBIADE = "YTBIADE"
    YTBISTISNA = "YTBISTISNA"
    YTBTEVKIFAT = "YTBTEVKIFAT"
    YTBTEVKIFATIADE = "YTBTEVKIFATIADE"
