"""A TICARIFATURA between two of our taxpayers, all the way round through a Merkez stand-in:
submit → sign → send → delivered to our endpoint over HTTP → mailbox → system response back →
KABUL sealed and sent → delivered to the seller's GB → ACCEPTED, and our answer's status back.
Every part is the real one; only Merkez's forwarding is played by the test."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from entegrator.core.inbound import Receiver
from entegrator.core.outbound import submit
from entegrator.core.responses import respond
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.gib import (
    GibClient,
    GibClientConfig,
    HttpTransportConfig,
    HttpxTransport,
    ServerConfig,
    efatura_routes,
)
from entegrator.gib.contract import MERKEZ_PATH
from entegrator.store import StoreConfig
from entegrator.store.domain import envelopes
from entegrator.store.jobs import Worker, WorkerConfig
from entegrator.ubl import load_invoice
from tests.core.inbound.conftest import ServeFn
from tests.core.inbound.support import document, mailbox
from tests.core.outbound.merkez import FakeMerkez, serve_merkez
from tests.core.outbound.support import register_gib_user
from tests.core.support import (
    CUSTOMER,
    SUPPLIER,
    CorePki,
    SeededTaxpayer,
    add_taxpayer,
    make_integrator,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture
def merkez() -> FakeMerkez:
    return FakeMerkez()


@pytest.fixture
def integrator(db_config: StoreConfig, tmp_path: Path, core_pki: CorePki,
               merkez: FakeMerkez) -> Iterator[Integrator]:
    with serve_merkez(merkez) as url:
        built = make_integrator(db_config, tmp_path, core_pki, merkez_url=url)
        try:
            yield built
        finally:
            built.close()


@pytest.fixture
def forward(integrator: Integrator, serve: ServeFn) -> Iterator[GibClient]:
    """Merkez's side of the wire towards our endpoint (sendDocument to us)."""
    app = Starlette(routes=efatura_routes(ServerConfig(), Receiver(integrator)))
    transport = HttpxTransport(HttpTransportConfig())
    yield GibClient(GibClientConfig(endpoint=serve(app) + MERKEZ_PATH), transport)
    transport.close()


def _worker(integrator: Integrator) -> Worker:
    return Worker(integrator.db, integrator.jobs, WorkerConfig(poll_interval=0.0),
                  clock=integrator.clock)


def _relay(merkez: FakeMerkez, forward: GibClient, envelope_uuid: str) -> None:
    """Merkez forwards the envelope it holds to its receiver (our endpoint), verbatim."""
    forward.send_document(f"{envelope_uuid}.zip", merkez.stored[envelope_uuid])


def _latest_out(integrator: Integrator, kind: str) -> str:
    with integrator.db.transaction(read_only=True) as conn:
        return conn.execute(select(envelopes.c.envelope_uuid).where(
            envelopes.c.direction == "OUT", envelopes.c.type == kind)
            .order_by(envelopes.c.id.desc())).scalars().first()


def test_a_commercial_invoice_goes_round_and_is_accepted(
    integrator: Integrator, core_pki: CorePki, merkez: FakeMerkez, forward: GibClient
) -> None:
    seller: SeededTaxpayer = add_taxpayer(integrator, core_pki, SUPPLIER)
    buyer: SeededTaxpayer = add_taxpayer(integrator, core_pki, CUSTOMER)
    register_gib_user(integrator, SUPPLIER.vkn, SUPPLIER.title, gb=[SUPPLIER.gb],
                      pk=[SUPPLIER.pk])
    register_gib_user(integrator, CUSTOMER.vkn, CUSTOMER.title, gb=[CUSTOMER.gb],
                      pk=[CUSTOMER.pk])
    spec = copy.deepcopy(json.loads((EXAMPLES / "32-ticari-satis.json").read_text("utf-8")))
    spec.pop("ettn")
    worker = _worker(integrator)

    sent = submit(integrator, seller.caller, load_invoice(spec), channel="api")
    worker.run_until_idle()
    invoice_envelope = document(integrator, seller.id, sent.document_id).envelope_uuid
    _relay(merkez, forward, invoice_envelope)  # Merkez → the buyer's PK (us)
    worker.run_until_idle()

    (received,) = mailbox(integrator, buyer.id)
    assert received.ettn == sent.ettn
    assert received.state == DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE.value

    _relay(merkez, forward, _latest_out(integrator, "SYSTEMENVELOPE"))  # our 1200 → seller
    worker.run_until_idle()
    assert document(integrator, seller.id, sent.document_id).state == (
        DocumentState.SEND_WAIT_APPLICATION_RESPONSE.value)

    respond(integrator, buyer.caller, received.id, "KABUL")
    worker.run_until_idle()
    _relay(merkez, forward, _latest_out(integrator, "POSTBOXENVELOPE"))  # KABUL → seller GB
    worker.run_until_idle()

    seller_view = document(integrator, seller.id, sent.document_id)
    assert (seller_view.state, seller_view.response_code) == (
        DocumentState.ACCEPTED.value, "KABUL")

    _relay(merkez, forward, _latest_out(integrator, "SYSTEMENVELOPE"))  # seller's 1200 → buyer
    worker.run_until_idle()
    assert document(integrator, buyer.id, received.id).state == (
        DocumentState.ACCEPT_SUCCEED.value)
