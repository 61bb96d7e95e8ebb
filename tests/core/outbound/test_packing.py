"""Packing a prepared batch: one compression pass when a group fits, else envelope.pack."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from entegrator.core.outbound.packing import pack_invoices
from entegrator.envelope import PackLimits, Party, prepare, read_envelope
from entegrator.ubl import build_invoice_element, load_invoice

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SELLER = Party("urn:mail:defaultgb@anadolubilisim.com.tr", "4540536920", "Anadolu")
BUYER = Party("urn:mail:defaultpk@karadenizgida.com.tr", "9205121120", "Karadeniz")
NOW = datetime(2025, 3, 14, 10, tzinfo=UTC)


def _payload(name: str = "01-temel-satis.json", number: int = 1):
    spec = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    spec["number"] = f"ENT2025{number:09d}"
    spec["ettn"] = str(uuid.uuid4())
    return prepare(build_invoice_element(load_invoice(spec)))


def _pack(payloads, parties, **limits):
    return pack_invoices(payloads, parties, new_id=lambda: str(uuid.uuid4()),
                         now=lambda: NOW, limits=PackLimits(**limits))


def test_a_group_that_fits_is_one_envelope_with_every_document_in_order() -> None:
    payloads = [_payload(number=n) for n in range(1, 6)]
    [packed] = _pack(payloads, [(SELLER, BUYER)] * 5)
    assert packed.items == (0, 1, 2, 3, 4)
    opened = read_envelope(packed.zipped.data, file_name=packed.zipped.file_name)
    assert [opened.document_bytes(i) for i in range(5)] == [
        b"<?xml version='1.0' encoding='UTF-8'?>\n" + p.data for p in payloads]


def test_receivers_get_their_own_envelopes() -> None:
    other = Party("urn:mail:muhasebe@karadenizgida.com.tr", "9205121120", "Karadeniz")
    payloads = [_payload(number=n) for n in range(1, 4)]
    packed = _pack(payloads, [(SELLER, BUYER), (SELLER, other), (SELLER, BUYER)])
    assert [p.items for p in packed] == [(0, 2), (1,)]
    assert [p.envelope.header.receiver for p in packed] == [BUYER, other]


def test_groups_over_the_limits_fall_back_to_envelope_pack() -> None:
    payloads = [_payload(number=n) for n in range(1, 6)]
    packed = _pack(payloads, [(SELLER, BUYER)] * 5, max_documents=2)
    assert [p.items for p in packed] == [(0, 1), (2, 3), (4,)]
    [whole] = _pack(payloads, [(SELLER, BUYER)] * 5)
    small = _pack(payloads, [(SELLER, BUYER)] * 5,
                  max_zip_bytes=len(whole.zipped.data) * 2 // 3)
    assert sorted(i for p in small for i in p.items) == [0, 1, 2, 3, 4]
    assert len(small) > 1


def test_export_invoices_travel_alone() -> None:
    gtb = Party("urn:mail:ihracatpk@gtb.gov.tr", "1460415308", "GTB")
    payloads = [_payload("41-ihracat-mal.json", n) for n in (1, 2)]
    packed = _pack(payloads, [(SELLER, gtb)] * 2)
    assert [p.items for p in packed] == [(0,), (1,)]
