"""The admin API: access control, integrators, users, envelopes, errors."""

from __future__ import annotations

from collections.abc import Callable

from entegrator.signing import Seal
from entegrator.types import Secret
from tests.simulator.conftest import SimEnv
from tests.simulator.support import X, Y, invoice, sender_envelope


def test_token_is_required_when_configured(sim_factory: Callable[..., SimEnv]) -> None:
    env = sim_factory(admin_token=Secret("gizli"))
    assert env.admin("GET", "/admin/status").status_code == 401
    wrong = env.admin("GET", "/admin/status", headers={"authorization": "Bearer yanlis"})
    assert wrong.status_code == 401
    right = env.admin("GET", "/admin/status", headers={"authorization": "Bearer gizli"})
    assert right.status_code == 200
    assert right.json()["time_factor"] == 7200.0


def test_integrators_are_registered_and_removed(env: SimEnv) -> None:
    created = env.admin("POST", "/admin/integrators", json={
        "id": "c", "name": "Entegratör C", "vkn": "5555555553",
        "endpoint": "http://127.0.0.1:9/efatura"})
    assert created.status_code == 201
    ids = [i["id"] for i in env.admin("GET", "/admin/integrators").json()]
    assert ids == ["a", "b", "c"]
    assert env.admin("DELETE", "/admin/integrators/c").json() == {"removed": True}
    assert env.admin("DELETE", "/admin/integrators/c").json() == {"removed": False}


def test_integrator_with_bad_fields_is_400(env: SimEnv) -> None:
    for body in ({"id": "portal", "name": "x", "vkn": "5555555553", "endpoint": "http://x"},
                 {"id": "d", "name": "x", "vkn": "12", "endpoint": "http://x"},
                 {"id": "d", "name": "x", "vkn": "5555555553", "endpoint": "ftp://x"},
                 {"id": "d"}):
        response = env.admin("POST", "/admin/integrators", json=body)
        assert response.status_code == 400, body
        assert response.json()["hata"]


def test_users_are_added_listed_and_closed(env: SimEnv) -> None:
    added = env.admin("POST", "/admin/users", json={
        "vkn": "6666666667", "title": "Zeytin A.Ş.", "integrator": "b",
        "gb": ["urn:mail:gb@z.example"], "pk": ["urn:mail:pk@z.example"]})
    assert added.status_code == 201 and added.json() == {"vkn": "6666666667", "opened": 2}
    listed = env.admin("GET", "/admin/users", params={"vkn": "6666666667"}).json()
    assert [(a["role"], a["name"], a["integrator"], a["deleted_at"]) for a in listed[0]["aliases"]
            ] == [("GB", "urn:mail:gb@z.example", "b", None),
                  ("PK", "urn:mail:pk@z.example", "b", None)]
    closed = env.admin("DELETE", "/admin/users/6666666667/aliases",
                       params={"role": "PK"}).json()
    assert closed == {"closed": 1}
    listed = env.admin("GET", "/admin/users", params={"vkn": "6666666667"}).json()
    assert [a["deleted_at"] is None for a in listed[0]["aliases"]] == [True, False]


def test_alias_open_at_another_integrator_is_409(env: SimEnv) -> None:
    response = env.admin("POST", "/admin/users", json={
        "vkn": X.vkn, "title": X.title, "integrator": "b", "pk": [X.pk]})
    assert response.status_code == 409
    assert env.admin("GET", "/admin/users", params={"vkn": X.vkn}).json()[0]["aliases"][1][
        "integrator"] == "a"


def test_user_for_unknown_integrator_is_404(env: SimEnv) -> None:
    response = env.admin("POST", "/admin/users", json={
        "vkn": "6666666667", "title": "Z", "integrator": "yok"})
    assert response.status_code == 404


def test_envelope_with_history(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    found = env.admin("GET", f"/admin/envelopes/{built.envelope_id}").json()
    assert found["status"] == 1300 and found["origin"] == "a" and found["target"] == "b"
    assert [e["code"] for e in found["events"]] == [1000, 1100, 1200, 1220, 1300]
    listed = env.admin("GET", "/admin/envelopes", params={"limit": "50"}).json()
    assert built.envelope_id.lower() in {e["envelope_id"] for e in listed}


def test_unknown_envelope_is_404(env: SimEnv) -> None:
    response = env.admin("GET", "/admin/envelopes/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "bulunamadı" in response.json()["hata"]


def test_body_that_is_not_json_is_400(env: SimEnv) -> None:
    response = env.admin("POST", "/admin/faults", content=b"{kind",
                         headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_status_counts_jobs(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    status = env.admin("GET", "/admin/status").json()
    assert status["integrators"] == 2
    assert status["jobs"]["done"] >= 3  # process, deliver, push(es)
