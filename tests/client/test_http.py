"""entegrator.client against a real server on loopback: send, list, get, download,
respond, returns, user-list look-up, OAuth2 tokens and problem errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.client import ApiError, EntegratorClient
from entegrator.core.wiring import Integrator
from entegrator.ubl import build_invoice, load_invoice
from tests.api.conftest import Tenant, example
from tests.api.world import receive_invoice
from tests.core.support import CUSTOMER, CorePki


def test_send_list_get_and_download(base_url: str, supplier: Tenant, customer: Tenant,
                                    tmp_path: Path) -> None:
    with EntegratorClient(base_url, api_key=supplier.key) as api:
        sent = api.send(example(), client_reference="ERP-9", idempotency_key="k-1")
        assert sent.state == "queued"
        again = api.send(example(), client_reference="ERP-9", idempotency_key="k-1")
        assert (again.id, again.replayed) == (sent.id, True)
        listed = [d.id for d in api.iter_invoices(direction="OUT", limit=1)]
        assert listed == [sent.id]
        doc = api.get(sent.ettn)
        assert doc.counterpart_vkn_tckn == CUSTOMER.vkn
        assert doc.raw["client_reference"] == "ERP-9"
        xml = api.download(sent.id, "xml", to=tmp_path / "f.xml")
        assert (tmp_path / "f.xml").read_bytes() == xml
        assert [h.state for h in api.history(sent.id)] == ["queued"]


def test_send_ubl_xml_and_a_batch(base_url: str, supplier: Tenant, customer: Tenant) -> None:
    xml = build_invoice(load_invoice(example(number="XML2025000000001",
                                             ettn="6f1c0a2e-1d2b-4c3d-8e4f-5a6b7c8d9e0f")))
    with EntegratorClient(base_url, api_key=supplier.key) as api:
        assert api.send(xml).number == "XML2025000000001"
        batch = api.send_batch([example(), example()])
        assert len({s.id for s in batch}) == 2


def test_problem_becomes_api_error(base_url: str, supplier: Tenant) -> None:
    with EntegratorClient(base_url, api_key=supplier.key) as api, \
            pytest.raises(ApiError) as refused:
        api.get(424242)
    assert (refused.value.status, refused.value.code) == (404, "not-found")
    assert refused.value.retryable is False


def test_oauth_client_fetches_and_uses_a_token(base_url: str, supplier: Tenant) -> None:
    key_id, secret = supplier.key.split(".", 1)
    with EntegratorClient(base_url, client_id=key_id, client_secret=secret) as api:
        assert api.me()["vkn_tckn"] == supplier.seeded.vkn


def test_wrong_oauth_secret_is_an_api_error(base_url: str, supplier: Tenant) -> None:
    key_id = supplier.key.split(".", 1)[0]
    with EntegratorClient(base_url, client_id=key_id, client_secret="yanlis") as api, \
            pytest.raises(ApiError) as refused:
        api.me()
    assert refused.value.status == 401


def test_respond_return_and_read_flags(base_url: str, integrator: Integrator,
                                       api_pki: CorePki, supplier: Tenant,
                                       customer: Tenant) -> None:
    commercial, _ = receive_invoice(integrator, api_pki, customer)
    basic, _ = receive_invoice(integrator, api_pki, customer, profile="TEMELFATURA")
    with EntegratorClient(base_url, api_key=customer.key) as api:
        unread = {d.id for d in api.iter_invoices(direction="IN", unread=True)}
        assert unread == {commercial, basic}
        assert api.respond(commercial, "KABUL").state == "accept_processing"
        draft = api.create_return(basic, note="iade")
        assert draft.state == "draft"
        assert api.mark([commercial, basic]) == 2
        assert list(api.iter_invoices(direction="IN", unread=True)) == []


def test_user_list_lookup(base_url: str, supplier: Tenant, customer: Tenant) -> None:
    with EntegratorClient(base_url, api_key=supplier.key) as api:
        user = api.check_user(CUSTOMER.vkn)
        assert user is not None and user.pk_aliases == (CUSTOMER.pk,)
        assert api.check_user("1111111111") is None


def test_client_needs_exactly_one_credential() -> None:
    with pytest.raises(ValueError):
        EntegratorClient("http://127.0.0.1:9")
    with pytest.raises(ValueError):
        EntegratorClient("http://127.0.0.1:9", api_key="a.b", client_id="x", client_secret="y")
