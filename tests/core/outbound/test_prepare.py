"""outbound.prepare: gapless numbering, signing, packing, archiving, crash and race safety."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from entegrator.core.numbering import current_sequence
from entegrator.core.outbound import Request, submit, submit_many
from entegrator.core.outbound.claims import claim_batch
from entegrator.core.outbound.prepare import prepare_once
from entegrator.core.wiring import Integrator
from entegrator.envelope import read_envelope
from entegrator.signing import VerificationPolicy, sign_bytes, verify_element
from entegrator.store import FakeClock
from entegrator.store.domain import (
    document_contents,
    documents,
    envelope_items,
    taxpayer_aliases,
)
from entegrator.store.domain import seals as seal_rows
from entegrator.store.jobs import Worker
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import Invoice, build_invoice
from tests.core.outbound.support import document, envelope_rows, events_of, job_rows
from tests.core.support import SeededTaxpayer

Make = Callable[..., Invoice]


def _queue(integrator: Integrator, supplier: SeededTaxpayer, make: Make, count: int,
           **options: object) -> list[int]:
    ids: list[int] = []
    for start in range(0, count, 100):
        results = submit_many(integrator, supplier.caller,
                              [Request(make(), **options)  # type: ignore[arg-type]
                               for _ in range(min(100, count - start))], channel="api")
        ids.extend(r.document_id for r in results)
    return ids


def _rows(integrator: Integrator, tenant_id: int) -> list:
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, tenant_id)
        return list(scope.execute(scope.select(documents).order_by(documents.c.id)))


def _prepare_all(integrator: Integrator, tenant_id: int) -> None:
    while prepare_once(integrator, tenant_id, token="test") is not None:
        pass


def test_prepare_numbers_in_queue_order_without_gaps_and_packs_by_hundred(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    ids = _queue(integrator, supplier, make_invoice, 150)

    _prepare_all(integrator, supplier.id)

    rows = _rows(integrator, supplier.id)
    year = rows[0].issue_date.year
    assert [r.id for r in rows] == ids
    assert [r.number for r in rows] == [f"ENT{year}{n:09d}" for n in range(1, 151)]
    assert {r.state for r in rows} == {"sending"}
    envelopes = envelope_rows(integrator)
    assert [(e.type, e.state, e.items) for e in envelopes] == [
        ("SENDERENVELOPE", "built", 100), ("SENDERENVELOPE", "built", 50)]
    assert {r.envelope_uuid for r in rows} == {e.envelope_uuid for e in envelopes}
    assert len(job_rows(integrator, "outbound.send")) == 2
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, supplier.id)
        assert current_sequence(scope, "ENT", year) == 150
        assert scope.execute(scope.select(document_contents)).first() is None


def test_prepared_invoices_are_signed_archived_and_carried_byte_for_byte(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    [doc_id] = _queue(integrator, supplier, make_invoice, 1)
    _prepare_all(integrator, supplier.id)
    row = document(integrator, supplier.id, doc_id)
    envelope = envelope_rows(integrator)[0]
    with integrator.db.transaction(read_only=True) as conn:
        signed = integrator.archive.get(conn, row.archive_ref)
        zipped = integrator.archive.get(conn, envelope.archive_ref)
    opened = read_envelope(zipped)
    assert opened.header.sender.alias == supplier.party.gb
    assert opened.header.receiver.vkn_tckn == customer
    assert opened.document_bytes(0) == signed
    verify_element(opened.document(0), VerificationPolicy(trust=integrator.trust))
    assert row.number.encode() in signed and row.ettn.encode() in signed
    assert events_of(integrator, supplier.id, doc_id) == ["queued", "sending"]


def test_series_and_years_are_numbered_separately(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    submit(integrator, supplier.caller, make_invoice(), series="AAA", channel="api")
    submit(integrator, supplier.caller, make_invoice(issue_date="2024-12-31"), series="AAA",
           channel="api")
    submit(integrator, supplier.caller, make_invoice(), series="BBB", channel="api")
    submit(integrator, supplier.caller, make_invoice(), series="AAA", channel="api")
    _prepare_all(integrator, supplier.id)
    year = _rows(integrator, supplier.id)[0].issue_date.year
    assert [r.number for r in _rows(integrator, supplier.id)] == [
        f"AAA{year}000000001", "AAA2024000000001", f"BBB{year}000000001",
        f"AAA{year}000000002"]


def test_callers_own_numbers_leave_the_series_alone(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    submit(integrator, supplier.caller, make_invoice(number="ERP2025000000007"), channel="api")
    _prepare_all(integrator, supplier.id)
    [row] = _rows(integrator, supplier.id)
    assert (row.number, row.state) == ("ERP2025000000007", "sending")
    with integrator.db.transaction(read_only=True) as conn:
        assert current_sequence(TenantScope(conn, supplier.id), "ERP", 2025) == 0


def test_an_invoice_the_caller_signed_is_sent_as_it_is(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    model = make_invoice(number="ERP2025000000008", ettn="5a7d3c1e-2b4f-4c6d-8e9f-0a1b2c3d4e5f")
    seal = integrator.seals.seal_for(supplier.vkn)
    signed = sign_bytes(build_invoice(model), seal)
    submit(integrator, supplier.caller, signed, channel="api")
    _prepare_all(integrator, supplier.id)
    [row] = _rows(integrator, supplier.id)
    with integrator.db.transaction(read_only=True) as conn:
        assert integrator.archive.get(conn, row.archive_ref) == signed


def test_without_a_seal_the_queue_fails_to_sign_and_consumes_no_number(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    [doc_id] = _queue(integrator, supplier, make_invoice, 1)
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, supplier.id)
        scope.execute(scope.update(seal_rows).values(active=False))
    integrator.seals.refresh()

    _prepare_all(integrator, supplier.id)

    row = document(integrator, supplier.id, doc_id)
    assert (row.state, row.number) == ("sign_failed", None)
    assert "mühür" in row.gib_status_description
    with integrator.db.transaction(read_only=True) as conn:
        assert current_sequence(TenantScope(conn, supplier.id), "ENT",
                                row.issue_date.year) == 0


def test_without_a_default_gb_alias_the_queue_fails_to_pack(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    [doc_id] = _queue(integrator, supplier, make_invoice, 1)
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, supplier.id)
        scope.execute(scope.update(taxpayer_aliases).where(taxpayer_aliases.c.role == "GB")
                      .values(is_default=False))
    _prepare_all(integrator, supplier.id)
    row = document(integrator, supplier.id, doc_id)
    assert (row.state, row.number) == ("package_failed", None)


def test_one_broken_document_fails_alone(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    ids = _queue(integrator, supplier, make_invoice, 3)
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, supplier.id)
        scope.execute(scope.update(document_contents)
                      .where(document_contents.c.document_id == ids[1])
                      .values(content=b"<bozuk"))
    _prepare_all(integrator, supplier.id)
    states = [r.state for r in _rows(integrator, supplier.id)]
    assert states == ["sending", "package_failed", "sending"]


def test_a_run_that_died_after_numbering_leaves_numbers_that_the_next_run_uses(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    clock: FakeClock,
) -> None:
    ids = _queue(integrator, supplier, make_invoice, 3)
    with integrator.db.transaction() as conn:  # a run claims and numbers, then dies
        claimed = claim_batch(conn, TenantScope(conn, supplier.id), token="dead", now=clock.now(),
                              lease=60, limit=100)
    numbers = [c.number for c in claimed]

    assert prepare_once(integrator, supplier.id, token="early") is None  # still held
    clock.advance(61)
    assert prepare_once(integrator, supplier.id, token="later") == 3

    rows = _rows(integrator, supplier.id)
    assert [r.id for r in rows] == ids
    assert [r.number for r in rows] == numbers
    assert {r.state for r in rows} == {"sending"}
    with integrator.db.transaction(read_only=True) as conn:
        assert current_sequence(TenantScope(conn, supplier.id), "ENT",
                                rows[0].issue_date.year) == 3


def test_the_prepare_job_comes_back_when_a_held_batch_may_be_orphaned(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    clock: FakeClock, worker: Worker,
) -> None:
    _queue(integrator, supplier, make_invoice, 2)
    with integrator.db.transaction() as conn:
        claim_batch(conn, TenantScope(conn, supplier.id), token="dead", now=clock.now(),
                    lease=integrator.config.outbound.claim_lease, limit=100)
    worker.run_until_idle()
    [job] = job_rows(integrator, "outbound.prepare")
    assert job.state == "pending"
    assert job.run_at >= clock.now() + timedelta(seconds=integrator.config.outbound.claim_lease
                                                 - 5)
    clock.advance(integrator.config.outbound.claim_lease + 1)
    worker.run_until_idle()
    assert {r.state for r in _rows(integrator, supplier.id)} >= {"send_wait_gib_response"}


def test_a_run_whose_batch_was_taken_over_commits_nothing(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    from entegrator.core.outbound import prepare as module

    _queue(integrator, supplier, make_invoice, 2)
    real = module.commit_batch

    def steal_then_commit(integrator_: Integrator, scope: TenantScope, prepared, *, token: str):
        scope.execute(scope.update(documents).values(claim_token="thief"))
        return real(integrator_, scope, prepared, token=token)

    module.commit_batch = steal_then_commit  # type: ignore[assignment]
    try:
        assert prepare_once(integrator, supplier.id, token="slow") == 2
    finally:
        module.commit_batch = real  # type: ignore[assignment]
    assert {r.state for r in _rows(integrator, supplier.id)} == {"queued"}
    assert envelope_rows(integrator) == []


def test_concurrent_runs_never_double_or_skip_a_number(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    _queue(integrator, supplier, make_invoice, 240)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            while prepare_once(integrator, supplier.id, token=name) is not None:
                pass
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f"t{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert errors == []
    rows = _rows(integrator, supplier.id)
    year = rows[0].issue_date.year
    assert {r.state for r in rows} == {"sending"}
    assert sorted(r.number for r in rows) == [f"ENT{year}{n:09d}" for n in range(1, 241)]
    with integrator.db.transaction(read_only=True) as conn:
        items = conn.execute(select(envelope_items.c.document_id, func.count())
                             .group_by(envelope_items.c.document_id)).all()
    assert len(items) == 240 and {count for _, count in items} == {1}
