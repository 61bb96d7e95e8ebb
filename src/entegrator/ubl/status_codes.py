"""GİB envelope status codes (1000–1300) and EFatura SOAP fault codes (2000–2007).

Status codes travel in system responses (``cac:LineResponse/cac:Response/cbc:ResponseCode``)
and in ``getApplicationResponse`` answers; their labels go to ``cbc:Description``. Labels are
GİB's own text from "e-Fatura Uygulaması Sistem Yanıtı Şema Yapısı" (Ek-2 v1.5, §4),
including its spelling (``ARSIVDEN_KOPYALANAMADI``, ``TERKAR``). The kind, finality and
resend rules follow Ek-2 §4.1 (gib-protocol.md §3): after 1215 or 1230, and after any
11xx processing error except 1163/1164, the same invoices (same ID and ETTN) may be sent
again in a new envelope; while an envelope is alive (1000–1220) or done (1300) they may not.

Fault codes are returned synchronously as ``EFaturaFault {code, msg}`` (Ek-3 §8,
gib-protocol.md §1.3); ``retryable`` is our reading of GİB's text (2000 resend the same
envelope; 2002, 2003, 2005 are server-side; the others need a change first).

>>> status(1163).resend_allowed, status(1215).resend_allowed
(False, True)
>>> status(1300).kind is StatusKind.SUCCESS and status(1300).final
True
>>> status(1220).kind.value
'in_progress'
>>> fault(2001).message
'ZARF ID SISTEMDE MEVCUT'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Final

from entegrator.errors import NotFound

__all__ = [
    "FAULTS",
    "STATUSES",
    "FaultCode",
    "StatusCode",
    "StatusKind",
    "fault",
    "status",
]


class StatusKind(Enum):
    """Where an envelope stands after a status code."""

    IN_PROGRESS = "in_progress"  #: Merkez is still working on it; wait and poll
    SUCCESS = "success"  #: processed (1200: this hop; 1300: end to end)
    FAILURE = "failure"  #: rejected or undeliverable
    CANCELLED = "cancelled"  #: 1235: the invoice became subject of a cancellation


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One GİB envelope status code."""

    code: int
    label: str  #: GİB's label, written to cbc:Description of a system response
    kind: StatusKind
    final: bool  #: True when Merkez will not move the envelope to another status
    resend_allowed: bool  #: the same invoices (ID/ETTN) may go again in a new envelope


@dataclass(frozen=True, slots=True)
class FaultCode:
    """One synchronous EFatura fault (SOAP fault detail ``EFaturaFault``)."""

    code: int
    message: str  #: GİB's ``msg`` text
    retryable: bool  #: sending the same request again later may succeed


_P, _S, _F, _C = (
    StatusKind.IN_PROGRESS,
    StatusKind.SUCCESS,
    StatusKind.FAILURE,
    StatusKind.CANCELLED,
)

# (code, GİB label, kind, final, resend allowed) — Ek-2 v1.5 §4 and §4.1.
_STATUS_ROWS: Final = (
    (1000, "ZARF KUYRUGA EKLENDI", _P, False, False),
    (1100, "ZARF ISLENIYOR", _P, False, False),
    (1110, "ZIP DOSYASI DEGIL", _F, True, True),
    (1111, "ZARF ID UZUNLUGU GECERSIZ", _F, True, True),
    (1120, "ZARF ARSIVDEN_KOPYALANAMADI", _F, True, True),
    (1130, "ZIP ACILAMADI", _F, True, True),
    (1131, "ZIP BIR DOSYA ICERMELI", _F, True, True),
    (1132, "XML DOSYASI DEGIL", _F, True, True),
    (1133, "ZARF ID VE XML DOSYASININ ADI AYNI OLMALI", _F, True, True),
    (1140, "DOKUMAN AYRISTIRILAMADI", _F, True, True),
    (1141, "ZARF ID YOK", _F, True, True),
    (1142, "ZARF ID VE ZIP DOSYASI ADI AYNI OLMALI", _F, True, True),
    (1143, "GECERSIZ VERSIYON", _F, True, True),
    (1150, "SCHEMATRON KONTROL SONUCU HATALI", _F, True, True),
    (1160, "XML SEMA KONTROLUNDEN GECEMEDI", _F, True, True),
    (1161, "IMZA SAHIBI TCKN VKN ALINAMADI", _F, True, True),
    (1162, "IMZA KAYDEDILEMEDI", _F, True, True),
    (
        1163,
        "GONDERILEN ZARF SISTEMDE DAHA ONCE KAYITLI OLAN BIR FATURAYI ICERMEKTEDIR.",
        _F,
        True,
        False,
    ),
    (
        1164,
        "GONDERILEN ZARF SISTEMDE DAHA ONCE KAYITLI OLAN BIR BELGEYİ ICERMEKTEDIR.",
        _F,
        True,
        False,
    ),
    (1170, "YETKI KONTROL EDILEMEDI", _F, True, True),
    (1171, "GONDERICI BIRIM YETKISI YOK", _F, True, True),
    (1172, "POSTA KUTUSU YETKISI YOK", _F, True, True),
    (1175, "IMZA YETKISI KONTROL EDILEMEDI", _F, True, True),
    (1176, "IMZA SAHIBI YETKISIZ", _F, True, True),
    (1177, "GEÇERSİZ İMZA", _F, True, True),
    (1180, "ADRES KONTROL EDILEMEDI", _F, True, True),
    (1181, "ADRES BULUNAMADI", _F, True, True),
    (1182, "KULLANICI EKLENEMEDİ", _F, True, True),
    (1183, "KULLANICI SİLENEMEDİ", _F, True, True),
    (1190, "SISTEM YANITI HAZIRLANAMADI", _F, True, True),
    # 1191 exists only in the schematron code list AppResponseCodeType; Ek-2 gives no label.
    (1191, "TANIMSIZ DURUM", _F, True, True),
    (1195, "SISTEM HATASI", _F, True, True),
    (1200, "ZARF BASARIYLA ISLENDI", _S, False, False),
    (1210, "DOKUMAN BULUNAN ADRESE GONDERILEMEDI", _P, False, False),
    (1215, "DOKUMAN GONDERIMI BASARISIZ. TERKAR GONDERME SONLANDI", _F, True, True),
    (1220, "HEDEFTEN SISTEM YANITI GELMEDI", _P, False, False),
    (1230, "HEDEFTEN SISTEM YANITI BASARISIZ GELDI", _F, True, True),
    (1235, "FATURA IPTAL'E KONU EDILDI", _C, True, False),
    (1300, "BASARIYLA TAMAMLANDI", _S, True, False),
)

#: Every status code by number.
STATUSES: Final[Mapping[int, StatusCode]] = MappingProxyType(
    {row[0]: StatusCode(*row) for row in _STATUS_ROWS}
)

# (code, GİB msg, retryable) — Ek-3 v1.4 §8.
_FAULT_ROWS: Final = (
    (2000, "OZET DEGERLER ESIT DEGIL", True),
    (2001, "ZARF ID SISTEMDE MEVCUT", False),
    (2002, "ZARF ARSIVE EKLENEMEDI", True),
    (2003, "ZARF KUYRUGA EKLENEMEDI", True),
    (2004, "ZARF ID BULUNAMADI", False),
    (2005, "SISTEM HATASI", True),
    (2006, "GECERSIZ ZARF ADI", False),
    (2007, "PAKET GÖNDERMEYE VE SORGULAMAYA YETKİNİZ GEÇİCİ OLARAK KALDIRILMIŞTIR", False),
)

#: Every EFatura fault code by number.
FAULTS: Final[Mapping[int, FaultCode]] = MappingProxyType(
    {row[0]: FaultCode(*row) for row in _FAULT_ROWS}
)


def _as_int(code: int | str) -> int | None:
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    text = code.strip() if isinstance(code, str) else ""
    return int(text) if text.isascii() and text.isdigit() else None


def status(code: int | str) -> StatusCode:
    """The status code ``code`` (int or its text, as in ``cbc:ResponseCode``).

    Raises :class:`~entegrator.errors.NotFound` for a code GİB does not define.
    """
    found = STATUSES.get(_as_int(code))  # type: ignore[arg-type]
    if found is None:
        raise NotFound(f"GİB durum kodu tanımlı değil: {code!r}")
    return found


def fault(code: int | str) -> FaultCode:
    """The EFatura fault ``code``; :class:`~entegrator.errors.NotFound` if undefined."""
    found = FAULTS.get(_as_int(code))  # type: ignore[arg-type]
    if found is None:
        raise NotFound(f"GİB hata kodu tanımlı değil: {code!r}")
    return found
