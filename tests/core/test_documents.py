"""Tenant-scoped document queries: get, find, list with filters and cursors, history, XML,
HTML/PDF, read marks and counts — one query per page, another taxpayer's documents unseen."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from entegrator.core.documents import (
    DocumentFilter,
    counts,
    document_html,
    document_pdf,
    document_xml,
    find_document,
    get_document,
    history,
    list_documents,
    mark,
)
from entegrator.core.permissions import Role
from entegrator.core.responses import respond
from entegrator.core.states import Direction, DocumentState
from entegrator.core.wiring import Integrator
from entegrator.errors import DocumentError, NotFound, PermissionDenied
from entegrator.signing import Seal
from entegrator.store import FakeClock
from tests.core.inbound.support import (
    deliver,
    envelope_zip,
    invoice_bytes,
    mailbox,
    run_jobs,
    seal_for,
    sent_invoice,
)
from tests.core.support import SUPPLIER, CorePki, SeededTaxpayer


@pytest.fixture(scope="module")
def supplier_seal(core_pki: CorePki) -> Seal:
    return seal_for(core_pki, SUPPLIER.vkn, SUPPLIER.title)


def _receive(integrator: Integrator, seal: Seal, numbers: list[int],
             profile: str = "TICARIFATURA") -> None:
    deliver(integrator, envelope_zip([invoice_bytes(number=n, seal=seal, profile=profile)
                                      for n in numbers]))
    run_jobs(integrator)


@pytest.fixture
def inbox(integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal) -> list[int]:
    """Five received invoices, one minute apart: 1–3 TICARIFATURA, 4–5 TEMELFATURA."""
    clock = integrator.clock
    assert isinstance(clock, FakeClock)
    for number in (1, 2, 3):
        _receive(integrator, supplier_seal, [number])
        clock.advance(60)
    _receive(integrator, supplier_seal, [4, 5], profile="TEMELFATURA")
    return [doc.id for doc in mailbox(integrator, customer.id)]


def test_a_document_shows_its_state_in_every_vocabulary(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    view = get_document(integrator, customer.caller, inbox[0])

    assert view.direction is Direction.IN and view.number == "ENT2025000000001"
    assert view.state is DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE
    assert (view.status, view.status_code) == ("RECEIVE - WAIT_APPLICATION_RESPONSE", 132)
    assert view.counterpart_vkn_tckn == SUPPLIER.vkn and not view.deemed_accepted


def test_after_eight_days_without_answer_a_document_is_deemed_accepted(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    integrator.clock.advance(8 * 86400)  # type: ignore[attr-defined]

    assert get_document(integrator, customer.caller, inbox[0]).deemed_accepted
    assert not get_document(integrator, customer.caller, inbox[3]).deemed_accepted


def test_another_taxpayers_document_is_not_found(
    integrator: Integrator, supplier: SeededTaxpayer, inbox: list[int]
) -> None:
    for action in (lambda: get_document(integrator, supplier.caller, inbox[0]),
                   lambda: history(integrator, supplier.caller, inbox[0]),
                   lambda: document_xml(integrator, supplier.caller, inbox[0]),
                   lambda: mark(integrator, supplier.caller, [inbox[0]], read=True)):
        with pytest.raises(NotFound):
            action()
    assert list_documents(integrator, supplier.caller).items == ()


def test_find_by_ettn_or_number(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    view = get_document(integrator, customer.caller, inbox[1])

    assert find_document(integrator, customer.caller, ettn=view.ettn.upper()).id == view.id
    assert find_document(integrator, customer.caller, number=view.number).id == view.id
    with pytest.raises(NotFound):
        find_document(integrator, customer.caller, number="ENT2025000000099")
    with pytest.raises(DocumentError):
        find_document(integrator, customer.caller)


def test_list_filters(integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal,
                      inbox: list[int]) -> None:
    sent_invoice(integrator, customer.id, seal=supplier_seal)  # one OUT row to tell apart

    def ids(**filters: object) -> list[int]:
        page = list_documents(integrator, customer.caller, DocumentFilter(**filters),
                              order="asc")  # type: ignore[arg-type]
        return [view.id for view in page.items]

    assert ids(direction=Direction.IN) == inbox
    assert ids(profile="temelfatura") == inbox[3:]
    assert ids(states=frozenset({DocumentState.RECEIVED})) == inbox[3:]
    assert ids(number="ENT2025000000002") == [inbox[1]]
    assert ids(counterpart=SUPPLIER.vkn, direction=Direction.IN) == inbox
    assert ids(sender_alias=SUPPLIER.gb, direction=Direction.IN) == inbox
    assert ids(invoice_type="SATIS", direction=Direction.IN) == inbox
    today = integrator.clock.now().date()
    assert ids(date_type="created", date_from=today, direction=Direction.IN) == inbox
    assert ids(date_type="created", date_to=today - dt.timedelta(days=1)) == []
    assert ids(date_from=dt.date(2025, 3, 14), date_to=dt.date(2025, 3, 14),
               direction=Direction.IN) == inbox
    assert ids(date_from=dt.date(2025, 3, 15), direction=Direction.IN) == []
    assert len(ids(direction=Direction.OUT)) == 1


def test_cursor_pages_cover_everything_once_in_both_orders(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    for order, expected in (("desc", inbox[::-1]), ("asc", inbox)):
        seen: list[int] = []
        cursor = None
        while True:
            page = list_documents(integrator, customer.caller, limit=2, cursor=cursor,
                                  order=order)  # type: ignore[arg-type]
            seen.extend(view.id for view in page.items)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == expected


def test_bad_cursors_and_page_sizes_are_refused(
    integrator: Integrator, customer: SeededTaxpayer
) -> None:
    with pytest.raises(DocumentError):
        list_documents(integrator, customer.caller, cursor="bozuk!")
    with pytest.raises(DocumentError):
        list_documents(integrator, customer.caller, limit=0)


def test_a_page_is_one_query(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(integrator.db.engine, "before_cursor_execute", count)
    try:
        page = list_documents(integrator, customer.caller, limit=100)
    finally:
        event.remove(integrator.db.engine, "before_cursor_execute", count)

    assert len(page.items) == 5 and len(statements) == 1


def test_marking_read_drives_unread_polling(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    unread = DocumentFilter(direction=Direction.IN, unread=True)

    assert mark(integrator, customer.caller, inbox[:2], read=True) == 2
    assert mark(integrator, customer.caller, inbox[:2], read=True) == 0
    remaining = [v.id for v in list_documents(integrator, customer.caller, unread).items]
    assert sorted(remaining) == inbox[2:]
    assert mark(integrator, customer.caller, [inbox[0]], read=False) == 1
    assert get_document(integrator, customer.caller, inbox[0]).is_read is False
    assert get_document(integrator, customer.caller, inbox[1]).read_at is not None


def test_marking_an_unknown_document_changes_nothing(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    with pytest.raises(NotFound):
        mark(integrator, customer.caller, [inbox[0], 999_999], read=True)
    assert get_document(integrator, customer.caller, inbox[0]).is_read is False


def test_counts_by_state_and_unread(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    respond(integrator, customer.caller, inbox[0], "KABUL")
    mark(integrator, customer.caller, inbox[3:], read=True)

    result = counts(integrator, customer.caller, DocumentFilter(direction=Direction.IN))

    assert (result.total, result.unread) == (5, 3)
    assert result.by_state == {
        DocumentState.ACCEPT_PROCESSING: 1,
        DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE: 2,
        DocumentState.RECEIVED: 2,
    }


def test_history_lists_every_state_change(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    respond(integrator, customer.caller, inbox[0], "KABUL")

    steps = history(integrator, customer.caller, inbox[0])

    assert [step.state for step in steps] == [
        DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE, DocumentState.ACCEPT_PROCESSING]
    assert steps[1].status == "ACCEPT - PROCESSING" and steps[0].at <= steps[1].at


def test_xml_is_the_archived_document_and_renders(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    xml = document_xml(integrator, customer.caller, inbox[0])
    html = document_html(integrator, customer.caller, inbox[0], stylesheet="own")
    pdf = document_pdf(integrator, customer.caller, inbox[0], stylesheet="own")

    assert b"ENT2025000000001" in xml and b"ds:Signature" in xml
    assert b"ENT2025000000001" in html
    assert pdf.startswith(b"%PDF")


def test_reading_needs_the_read_permission(
    integrator: Integrator, customer: SeededTaxpayer, inbox: list[int]
) -> None:
    viewer = customer.as_role(Role.VIEWER)
    assert get_document(integrator, viewer, inbox[0]).id == inbox[0]
    with pytest.raises(PermissionDenied):
        respond(integrator, viewer, inbox[0], "KABUL")
