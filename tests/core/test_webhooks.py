"""core.webhooks: subscriptions, deliveries written with the change, signed POSTs to a real
local receiver, retries with backoff through the job queue, the delivery log, SSRF refusal
and tenant isolation (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from entegrator.core import webhooks
from entegrator.core.events import InvoiceReceived, StatusChanged
from entegrator.core.states import Direction, DocumentState
from entegrator.core.webhooks import (
    DeliveryState,
    DestinationRefused,
    EventType,
    WebhookSettings,
    WebhookSink,
)
from entegrator.core.webhooks.destinations import check_address, check_url
from entegrator.core.wiring import Integrator
from entegrator.errors import DocumentError, NotFound, PermissionDenied
from entegrator.store import FakeClock, StoreConfig
from entegrator.store.domain import webhook_deliveries
from entegrator.store.jobs import HandlerRegistry, Worker, WorkerConfig
from entegrator.store.tenancy import all_tenants
from tests.core.support import CUSTOMER, CorePki, SeededTaxpayer, add_taxpayer, make_integrator
from tests.webhook_receiver import Receiver, serve_receiver

SETTINGS = WebhookSettings(allow_http=True, allow_private_networks=True, timeout=5.0,
                           max_attempts=3, base_delay=1.0, max_delay=5.0)


@pytest.fixture
def integrator(db_config: StoreConfig, tmp_path: Path, core_pki: CorePki) -> Iterator[Integrator]:
    """An Integrator whose events go to the webhook sink, loopback receivers allowed."""
    built = make_integrator(db_config, tmp_path, core_pki, webhooks=SETTINGS)
    built.events = WebhookSink(built.clock)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on loopback."""
    with serve_receiver() as running:
        yield running


def _worker(integrator: Integrator) -> Worker:
    registry = HandlerRegistry()
    webhooks.register(registry, integrator)
    return Worker(integrator.db, registry, WorkerConfig(poll_interval=0.0),
                  clock=integrator.clock)


def _status_event(taxpayer: SeededTaxpayer) -> StatusChanged:
    return StatusChanged(taxpayer.id, 4242, Direction.OUT, DocumentState.SENDING,
                         DocumentState.SEND_SUCCEED, 1300)


def _publish(integrator: Integrator, event: object) -> None:
    with integrator.db.transaction() as conn:
        integrator.events.publish(conn, event)  # type: ignore[arg-type]


def _deliveries(integrator: Integrator) -> int:
    with integrator.db.transaction(read_only=True) as conn:
        return int(conn.execute(all_tenants(
            select(func.count()).select_from(webhook_deliveries))).scalar_one())


def test_subscribed_event_is_delivered_signed_to_the_receiver(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.status_changed"])
    _publish(integrator, _status_event(supplier))
    assert _worker(integrator).run_until_idle() == 1
    [got] = receiver.received
    secret = made.secret.reveal()
    assert webhooks.verify(secret, got.headers["entegrator-signature"], got.body,
                           now=time.time())
    payload = json.loads(got.body)
    assert payload["type"] == "invoice.status_changed"
    assert payload["data"]["new_state"] == "send_succeed"
    assert payload["data"]["status"] == "SEND - SUCCEED"
    assert got.headers["entegrator-delivery"] == payload["id"]
    page = webhooks.list_deliveries(integrator, supplier.caller, made.webhook.id)
    assert [d.state for d in page.items] == [DeliveryState.SUCCEEDED]
    assert page.items[0].attempt_log[0]["status"] == 200


def test_signature_does_not_verify_with_another_secret_or_body(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                            ["invoice.status_changed"])
    _publish(integrator, _status_event(supplier))
    _worker(integrator).run_until_idle()
    [got] = receiver.received
    header = got.headers["entegrator-signature"]
    assert not webhooks.verify("whsec_wrong", header, got.body, now=time.time())
    assert not webhooks.verify("whsec_wrong", header, got.body + b" ", now=time.time())


def test_event_without_subscription_writes_nothing(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    webhooks.create_webhook(integrator, supplier.caller, receiver.url, ["invoice.received"])
    _publish(integrator, _status_event(supplier))
    assert _deliveries(integrator) == 0


def test_rolled_back_change_leaves_no_delivery(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                            ["invoice.status_changed"])
    with pytest.raises(RuntimeError), integrator.db.transaction() as conn:
        integrator.events.publish(conn, _status_event(supplier))
        raise RuntimeError("the change fails")
    assert _deliveries(integrator) == 0


def test_receiver_failure_is_retried_with_backoff_until_it_succeeds(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    clock = integrator.clock
    assert isinstance(clock, FakeClock)
    with serve_receiver([500, 503]) as receiver:
        made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                       ["invoice.status_changed"])
        _publish(integrator, _status_event(supplier))
        worker = _worker(integrator)
        worker.run_until_idle()
        assert len(receiver.received) == 1
        worker.run_until_idle()  # the retry is not due yet
        assert len(receiver.received) == 1
        for _ in range(2):
            clock.advance(10)
            worker.run_until_idle()
        assert len(receiver.received) == 3
        [delivery] = webhooks.list_deliveries(integrator, supplier.caller,
                                              made.webhook.id).items
    assert delivery.state is DeliveryState.SUCCEEDED
    assert [a["status"] for a in delivery.attempt_log] == [500, 503, 200]
    assert delivery.attempts == 3
    assert len({r.headers["entegrator-delivery"] for r in receiver.received}) == 1


def test_delivery_fails_after_the_last_attempt(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    clock = integrator.clock
    assert isinstance(clock, FakeClock)
    with serve_receiver([500] * 10) as receiver:
        made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                       ["invoice.status_changed"])
        _publish(integrator, _status_event(supplier))
        worker = _worker(integrator)
        for _ in range(6):
            worker.run_until_idle()
            clock.advance(10)
        assert len(receiver.received) == SETTINGS.max_attempts
    [delivery] = webhooks.list_deliveries(integrator, supplier.caller, made.webhook.id).items
    assert delivery.state is DeliveryState.FAILED
    assert delivery.last_status_code == 500
    assert "HTTP 500" in (delivery.last_error or "")


def test_unreachable_receiver_is_logged_and_retried(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    made = webhooks.create_webhook(integrator, supplier.caller, "http://127.0.0.1:9/kapali",
                                   ["invoice.status_changed"])
    _publish(integrator, _status_event(supplier))
    _worker(integrator).run_until_idle()
    [delivery] = webhooks.list_deliveries(integrator, supplier.caller, made.webhook.id).items
    assert delivery.state is DeliveryState.PENDING
    assert delivery.attempts == 1
    assert delivery.last_status_code is None
    assert "Connect" in (delivery.last_error or "")


def test_redeliver_sends_the_same_event_again(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.status_changed"])
    _publish(integrator, _status_event(supplier))
    worker = _worker(integrator)
    worker.run_until_idle()
    [delivery] = webhooks.list_deliveries(integrator, supplier.caller, made.webhook.id).items
    again = webhooks.redeliver(integrator, supplier.caller, made.webhook.id, delivery.id)
    assert again.state is DeliveryState.PENDING
    worker.run_until_idle()
    first, second = receiver.received
    assert json.loads(first.body) == json.loads(second.body)


def test_ping_reaches_a_webhook_of_any_event_type(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.received"])
    webhooks.ping(integrator, supplier.caller, made.webhook.id)
    _worker(integrator).run_until_idle()
    [got] = receiver.received
    assert got.headers["entegrator-event"] == EventType.PING.value


def test_rotated_secret_signs_later_deliveries(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.status_changed"])
    rotated = webhooks.rotate_secret(integrator, supplier.caller, made.webhook.id)
    _publish(integrator, _status_event(supplier))
    _worker(integrator).run_until_idle()
    [got] = receiver.received
    header = got.headers["entegrator-signature"]
    assert webhooks.verify(rotated.secret.reveal(), header, got.body, now=time.time())
    assert not webhooks.verify(made.secret.reveal(), header, got.body, now=time.time())


def test_switched_off_webhook_gets_nothing(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.status_changed"])
    webhooks.update_webhook(integrator, supplier.caller, made.webhook.id, active=False)
    _publish(integrator, _status_event(supplier))
    assert _deliveries(integrator) == 0


def test_deleted_webhook_stops_its_pending_delivery(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.status_changed"])
    _publish(integrator, _status_event(supplier))
    webhooks.delete_webhook(integrator, supplier.caller, made.webhook.id)
    _worker(integrator).run_until_idle()
    assert receiver.received == []
    with pytest.raises(NotFound):
        webhooks.get_webhook(integrator, supplier.caller, made.webhook.id)


def test_invoice_received_payload_names_the_document(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    deadline = dt.datetime(2030, 1, 9, tzinfo=dt.UTC)
    webhooks.create_webhook(integrator, supplier.caller, receiver.url, ["invoice.received"])
    _publish(integrator, InvoiceReceived(supplier.id, 77, "f" * 8 + "-0000-4000-8000-" + "0" * 12,
                                         "ABC2026000000001", "TICARIFATURA", CUSTOMER.vkn,
                                         deadline))
    _worker(integrator).run_until_idle()
    data = json.loads(receiver.received[0].body)["data"]
    assert data["number"] == "ABC2026000000001"
    assert data["response_deadline"] == deadline.isoformat()
    assert data["document"] is None  # no such document row: nothing invented


def test_batch_writes_one_delivery_per_event_and_subscribed_webhook(
    integrator: Integrator, core_pki: CorePki, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    other = add_taxpayer(integrator, core_pki, CUSTOMER)
    both = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.status_changed", "invoice.received"])
    status_only = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                          ["invoice.status_changed"])
    webhooks.create_webhook(integrator, other.caller, receiver.url, ["invoice.received"])
    received = InvoiceReceived(supplier.id, 78, "e" * 8 + "-0000-4000-8000-" + "0" * 12,
                               "ABC2026000000002", "TEMELFATURA", CUSTOMER.vkn, None)
    batch = [_status_event(supplier), received, _status_event(other), _status_event(supplier)]
    with integrator.db.transaction() as conn:
        integrator.events.publish_many(conn, batch)  # type: ignore[attr-defined]
    logged = {
        hook.webhook.id: [d.event_type for d in webhooks.list_deliveries(
            integrator, supplier.caller, hook.webhook.id).items]
        for hook in (both, status_only)
    }
    assert sorted(logged[both.webhook.id]) == [
        "invoice.received", "invoice.status_changed", "invoice.status_changed"]
    assert logged[status_only.webhook.id] == ["invoice.status_changed"] * 2
    assert _deliveries(integrator) == 5  # the other taxpayer's webhook wants no status change


def test_batch_payloads_carry_their_own_event_ids(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                            ["invoice.status_changed"])
    with integrator.db.transaction() as conn:
        integrator.events.publish_many(  # type: ignore[attr-defined]
            conn, [_status_event(supplier), _status_event(supplier)])
    assert _worker(integrator).run_until_idle() == 2
    ids = {json.loads(got.body)["id"] for got in receiver.received}
    assert len(ids) == 2


def test_delivery_log_pages_newest_first(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.status_changed"])
    for _ in range(5):
        _publish(integrator, _status_event(supplier))
    first = webhooks.list_deliveries(integrator, supplier.caller, made.webhook.id, limit=2)
    second = webhooks.list_deliveries(integrator, supplier.caller, made.webhook.id, limit=2,
                                      cursor=first.next_cursor)
    ids = [d.id for d in first.items + second.items]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 4


def test_another_taxpayers_webhook_is_not_found(
    integrator: Integrator, core_pki: CorePki, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    other = add_taxpayer(integrator, core_pki, CUSTOMER)
    made = webhooks.create_webhook(integrator, supplier.caller, receiver.url,
                                   ["invoice.status_changed"])
    for action in (
        lambda: webhooks.get_webhook(integrator, other.caller, made.webhook.id),
        lambda: webhooks.list_deliveries(integrator, other.caller, made.webhook.id),
        lambda: webhooks.delete_webhook(integrator, other.caller, made.webhook.id),
        lambda: webhooks.ping(integrator, other.caller, made.webhook.id),
    ):
        with pytest.raises(NotFound):
            action()
    _publish(integrator, _status_event(other))
    assert _deliveries(integrator) == 0


def test_managing_webhooks_needs_the_admin_role(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    from entegrator.core.permissions import Role

    with pytest.raises(PermissionDenied):
        webhooks.create_webhook(integrator, supplier.as_role(Role.API), receiver.url,
                                ["invoice.received"])


def test_unknown_event_type_is_refused(
    integrator: Integrator, supplier: SeededTaxpayer, receiver: Receiver
) -> None:
    with pytest.raises(DocumentError):
        webhooks.create_webhook(integrator, supplier.caller, receiver.url, ["fatura.geldi"])


@pytest.mark.parametrize("url", [
    "http://erp.example.com/hook",  # plain HTTP
    "https://10.0.0.5/hook",  # private network
    "https://127.0.0.1/hook",  # loopback
    "https://[::1]/hook",
    "https://169.254.169.254/latest/meta-data",  # cloud metadata
    "https://kullanici:parola@erp.example.com/hook",
    "ftp://erp.example.com/hook",
])
def test_unsafe_destination_is_refused_by_default(url: str) -> None:
    with pytest.raises(DestinationRefused):
        check_url(url, WebhookSettings())


def test_name_resolving_to_loopback_is_refused_at_delivery() -> None:
    with pytest.raises(DestinationRefused):
        check_address("https://localhost:8443/hook", WebhookSettings())


def test_public_https_destination_is_accepted() -> None:
    assert check_url(" https://erp.example.com/hook ", WebhookSettings()) == \
        "https://erp.example.com/hook"
