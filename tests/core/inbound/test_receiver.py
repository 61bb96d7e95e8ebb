"""The Receiver port: durable storage with the job before returning, duplicates, and answers
to Merkez's getApplicationResponse polls."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from entegrator.core.inbound import PROCESS_JOB, Receiver
from entegrator.core.inbound.outgoing import store_outgoing
from entegrator.core.wiring import Integrator
from entegrator.envelope import (
    EnvelopeHeader,
    EnvelopeType,
    build_envelope,
    read_envelope,
    read_system_response,
)
from entegrator.gib import AlreadyReceived, SystemFault, UnknownEnvelope
from entegrator.signing import Seal
from entegrator.store.archive import ArchiveKind
from entegrator.store.archive.entries import find_entry
from entegrator.store.domain import envelopes
from entegrator.store.jobs import jobs
from entegrator.ubl.identifiers import ettn
from tests.core.inbound.support import (
    LOOPBACK,
    deliver,
    envelope_zip,
    invoice_bytes,
    outcome,
    party,
    run_jobs,
)
from tests.core.support import CUSTOMER, SUPPLIER, SeededTaxpayer


def _counts(integrator: Integrator) -> tuple[int, int]:
    with integrator.db.transaction(read_only=True) as conn:
        rows = conn.execute(select(func.count()).select_from(envelopes)).scalar_one()
        queued = conn.execute(select(func.count()).select_from(jobs)
                              .where(jobs.c.kind == PROCESS_JOB)).scalar_one()
    return int(rows), int(queued)


def test_receive_stores_envelope_archive_and_job_before_returning(
    integrator: Integrator, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    deliver(integrator, zipped)

    row = outcome(integrator, zipped.file_name.removesuffix(".zip")).row
    with integrator.db.transaction(read_only=True) as conn:
        stored = integrator.archive.get(conn, row.archive_ref)
        job = conn.execute(select(jobs).where(jobs.c.kind == PROCESS_JOB)).one()
    assert stored == zipped.data
    assert (row.state, row.type, row.md5, row.size, row.caller) == (
        "received", "UNKNOWN", zipped.md5, len(zipped.data), "127.0.0.1")
    assert job.payload == {"envelope_id": row.id} and job.state == "pending"


def test_same_envelope_twice_is_already_received_and_stored_once(
    integrator: Integrator, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    deliver(integrator, zipped)

    with pytest.raises(AlreadyReceived):
        Receiver(integrator).receive(zipped.file_name.upper().replace(".ZIP", ".zip"),
                                     zipped.data, zipped.md5, caller=LOOPBACK)
    assert _counts(integrator) == (1, 1)


def test_concurrent_deliveries_of_one_envelope_store_it_once(
    integrator: Integrator, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def deliver_once() -> None:
        start.wait()
        try:
            deliver(integrator, zipped)
            outcomes.append("stored")
        except AlreadyReceived:
            outcomes.append("duplicate")

    threads = [threading.Thread(target=deliver_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "stored"]
    assert _counts(integrator) == (1, 1)


def test_an_envelope_we_sent_may_come_back_with_the_same_id(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    """Both parties at this integrator: our OUT envelope X is delivered to us as IN X."""
    header = EnvelopeHeader(ettn.new(), EnvelopeType.SENDER, party(SUPPLIER, "GB"),
                            party(CUSTOMER, "PK"), dt.datetime.now(dt.UTC).replace(microsecond=0))
    built = build_envelope(header, [invoice_bytes(seal=supplier_seal)])
    with integrator.db.transaction() as conn:
        store_outgoing(conn, integrator, built, tenant_id=None)

    deliver(integrator, built.zipped())

    assert _counts(integrator) == (2, 1)


def test_poll_for_an_unknown_envelope_is_2004(integrator: Integrator) -> None:
    with pytest.raises(UnknownEnvelope):
        Receiver(integrator).application_response(
            "0b3c2f0e-1d1b-4b8c-9d7e-3f4a5b6c7d8e", caller=LOOPBACK)


def test_poll_before_processing_asks_merkez_to_retry_with_2005(
    integrator: Integrator, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    deliver(integrator, zipped)

    with pytest.raises(SystemFault):
        Receiver(integrator).application_response(zipped.file_name[:-4], caller=LOOPBACK)


def test_poll_after_processing_returns_our_system_envelope(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    envelope_id = zipped.file_name.removesuffix(".zip")
    deliver(integrator, zipped)
    run_jobs(integrator)

    xml = Receiver(integrator).application_response(envelope_id.upper(), caller=LOOPBACK)

    answer = read_envelope(xml)
    assert answer.header.envelope_id == outcome(integrator, envelope_id).row.response_envelope_uuid
    response = read_system_response(answer)
    assert (response.envelope.id, response.status_code.code) == (envelope_id, 1200)


def test_the_received_zip_is_filed_under_its_taxpayer_once_known(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    deliver(integrator, zipped)
    row = outcome(integrator, zipped.file_name[:-4]).row
    with integrator.db.transaction(read_only=True) as conn:
        entry = find_entry(conn, None, ArchiveKind.ENVELOPE, "IN", row.archive_ref)
    assert entry is not None

    run_jobs(integrator)

    with integrator.db.transaction(read_only=True) as conn:
        assert integrator.archive.entry(conn, entry).tenant_id == customer.id
