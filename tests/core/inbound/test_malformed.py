"""Malformed deliveries: stored as received, answered with the right code when the envelope
can be addressed at all, never a crash, never anything in a mailbox."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from entegrator.core.inbound import Receiver
from entegrator.core.wiring import Integrator
from entegrator.envelope import GIB, md5_hex
from entegrator.gib import UnknownEnvelope
from entegrator.signing import Seal
from tests.core.inbound.support import (
    LOOPBACK,
    envelope_zip,
    invoice_bytes,
    mailbox,
    outcome,
    run_jobs,
)
from tests.core.support import SUPPLIER, SeededTaxpayer
from tests.ziputil import zip_of


def _deliver_raw(integrator: Integrator, data: bytes, envelope_id: str | None = None) -> str:
    envelope_id = envelope_id or str(uuid.uuid4())
    Receiver(integrator).receive(f"{envelope_id}.zip", data, md5_hex(data), caller=LOOPBACK)
    run_jobs(integrator)
    return envelope_id


def _unanswered(integrator: Integrator, envelope_id: str, code: int) -> None:
    result = outcome(integrator, envelope_id)
    assert result.row.state == "processed"
    assert result.row.gib_status_code == code
    assert result.answer_row is None
    with pytest.raises(UnknownEnvelope):
        Receiver(integrator).application_response(envelope_id, caller=LOOPBACK)


def test_not_a_zip_is_recorded_1110_and_not_answered(
    integrator: Integrator, customer: SeededTaxpayer
) -> None:
    envelope_id = _deliver_raw(integrator, b"this is not a zip at all")

    _unanswered(integrator, envelope_id, 1110)
    assert mailbox(integrator, customer.id) == []


def test_zip_with_two_files_is_1131(integrator: Integrator) -> None:
    envelope_id = str(uuid.uuid4())
    data = zip_of({f"{envelope_id}.xml": b"<a/>", "other.xml": b"<b/>"})

    _unanswered(integrator, _deliver_raw(integrator, data, envelope_id), 1131)


def test_zip_bomb_is_refused_with_1130_without_inflating_it(integrator: Integrator) -> None:
    envelope_id = str(uuid.uuid4())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(f"{envelope_id}.xml", "w") as entry:
        chunk = b"\0" * (1 << 20)
        for _ in range(64):  # 64 MiB of zeros: a few dozen KiB zipped
            entry.write(chunk)

    _unanswered(integrator, _deliver_raw(integrator, buffer.getvalue(), envelope_id), 1130)


def test_xml_with_a_dtd_is_refused_with_1132(integrator: Integrator) -> None:
    envelope_id = str(uuid.uuid4())
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><lol>&b;</lol>')

    _unanswered(integrator, _deliver_raw(integrator, zip_of({f"{envelope_id}.xml": bomb}),
                                         envelope_id), 1132)


def test_xml_that_is_no_envelope_is_1140(integrator: Integrator) -> None:
    envelope_id = str(uuid.uuid4())
    data = zip_of({f"{envelope_id}.xml": b"<Invoice/>"})

    _unanswered(integrator, _deliver_raw(integrator, data, envelope_id), 1140)


def test_entry_named_otherwise_is_answered_1133(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    good = envelope_zip([invoice_bytes(seal=supplier_seal)])
    envelope_id = good.file_name.removesuffix(".zip")
    with zipfile.ZipFile(io.BytesIO(good.data)) as archive:
        xml = archive.read(f"{envelope_id}.xml")

    _deliver_raw(integrator, zip_of({"zarf.xml": xml}), envelope_id)

    assert outcome(integrator, envelope_id).answer_code == 1133
    assert mailbox(integrator, customer.id) == []


def test_zip_named_after_another_envelope_is_answered_1142(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    good = envelope_zip([invoice_bytes(seal=supplier_seal)])
    other = str(uuid.uuid4())

    _deliver_raw(integrator, good.data, other)

    assert outcome(integrator, other).answer_code == 1142
    assert mailbox(integrator, customer.id) == []


def test_gib_probe_with_an_invalid_invoice_is_answered_with_the_xsd_code(
    integrator: Integrator, customer: SeededTaxpayer
) -> None:
    """Test Planı §7 c: GİB sends, as ``GIB``, an envelope whose invoice breaks the schema;
    the posta kutusu must answer with a code saying it is invalid."""
    broken = invoice_bytes(seal=None, edit=lambda xml: xml.replace(
        b"<cbc:IssueDate>", b"<cbc:Tarih>", 1).replace(b"</cbc:IssueDate>", b"</cbc:Tarih>", 1))
    zipped = envelope_zip([broken])
    envelope_id = zipped.file_name.removesuffix(".zip")
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
        xml = archive.read(f"{envelope_id}.xml")
    # Our builder refuses to write GİB's own sender address: edit it into the header.
    xml = xml.replace(f"<sh:Identifier>{SUPPLIER.gb}</sh:Identifier>".encode(),
                      b"<sh:Identifier>GIB</sh:Identifier>", 1)
    xml = xml.replace(f"<sh:Contact>{SUPPLIER.vkn}</sh:Contact>".encode(),
                      f"<sh:Contact>{GIB.vkn_tckn}</sh:Contact>".encode(), 1)

    _deliver_raw(integrator, zip_of({f"{envelope_id}.xml": xml}), envelope_id)

    result = outcome(integrator, envelope_id)
    assert result.answer_code == 1160
    assert (result.answer_row.receiver_alias, result.answer_row.receiver_vkn_tckn) == (
        GIB.alias, GIB.vkn_tckn)
