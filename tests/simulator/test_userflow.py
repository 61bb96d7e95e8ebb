"""USERENVELOPEs over HTTP: opening and closing aliases, reflected in the downloadable lists."""

from __future__ import annotations

import io
from collections.abc import Callable

import httpx

from entegrator.envelope import Mailbox, Role, UserAction
from entegrator.gib.userlist import UserListKind, iter_users_zip
from entegrator.signing import Seal
from entegrator.simulator import LIST_TIME_HEADER
from tests.simulator.conftest import SimEnv
from tests.simulator.support import (
    INTEGRATOR_A_VKN,
    INTEGRATOR_B_VKN,
    Taxpayer,
    X,
    Y,
    invoice,
    sender_envelope,
    user_envelope,
)

Z = Taxpayer("6666666667", "Zeytin Tarım A.Ş.", "urn:mail:defaultgb@z.example",
             "urn:mail:defaultpk@z.example")


def _download(env: SimEnv, kind: UserListKind, since: str | None = None) -> httpx.Response:
    params = {"since": since} if since else None
    return httpx.get(f"{env.base}/EFaturaMerkez/{kind.file_name}", params=params, timeout=30)


def _aliases(env: SimEnv, kind: UserListKind, vkn: str) -> dict[str, str | None]:
    response = _download(env, kind)
    assert response.status_code == 200
    users = [u for u in iter_users_zip(io.BytesIO(response.content)) if u.identifier == vkn]
    return {a.name: a.deletion_time for u in users for d in u.documents for a in d.aliases}


def _open_z(env: SimEnv, seal: Callable[..., Seal]) -> str:
    built = user_envelope(INTEGRATOR_A_VKN, Z, UserAction.PROCESS,
                          integrator_seal=seal(INTEGRATOR_A_VKN), customer_seal=seal(Z.vkn))
    env.a.send(built)
    return built.envelope_id


def test_process_user_account_opens_the_aliases(env: SimEnv, seal: Callable[..., Seal]) -> None:
    envelope_id = _open_z(env, seal)
    assert env.wait_status(envelope_id, 1300, 1182) == 1300
    assert env.codes(envelope_id) == [1000, 1100, 1200, 1300]
    assert env.a.wait_responses(envelope_id)[0][:2] == ("3900383669", 1200)
    assert _aliases(env, UserListKind.GB, Z.vkn) == {Z.gb: None}
    assert _aliases(env, UserListKind.PK, Z.vkn) == {Z.pk: None}


def test_opened_alias_receives_invoices(env: SimEnv, seal: Callable[..., Seal]) -> None:
    env.wait_status(_open_z(env, seal), 1300)
    built = sender_envelope(Y, Z, [invoice(Y, Z, seal(Y.vkn))])
    env.b.send(built)
    assert env.wait_status(built.envelope_id, 1300) == 1300
    assert env.a.wait_for(built.envelope_id)


def test_cancel_user_account_closes_the_alias(env: SimEnv, seal: Callable[..., Seal]) -> None:
    env.wait_status(_open_z(env, seal), 1300)
    built = user_envelope(INTEGRATOR_A_VKN, Z, UserAction.CANCEL,
                          integrator_seal=seal(INTEGRATOR_A_VKN), customer_seal=seal(Z.vkn),
                          mailboxes=[Mailbox(Role.PK, Z.pk)])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300, 1183) == 1300
    closed = _aliases(env, UserListKind.PK, Z.vkn)
    assert closed[Z.pk] is not None  # DeletionTime set, still listed
    assert _aliases(env, UserListKind.GB, Z.vkn) == {Z.gb: None}
    late = sender_envelope(Y, Z, [invoice(Y, Z, seal(Y.vkn))])
    env.b.send(late)
    assert env.wait_status(late.envelope_id, 1181, 1200) == 1181


def test_missing_counter_signature_is_1182(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = user_envelope(INTEGRATOR_A_VKN, Z, UserAction.PROCESS,
                          integrator_seal=seal(INTEGRATOR_A_VKN), customer_seal=None)
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1182, 1300) == 1182
    assert env.a.wait_responses(built.envelope_id)[0][1] == 1182
    assert _aliases(env, UserListKind.PK, Z.vkn) == {}


def test_vuk_507_user_needs_no_counter_signature(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = user_envelope(INTEGRATOR_A_VKN, Z, UserAction.PROCESS,
                          integrator_seal=seal(INTEGRATOR_A_VKN), customer_seal=None, option=4)
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300, 1182) == 1300


def test_alias_open_at_another_integrator_is_1182(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = user_envelope(INTEGRATOR_B_VKN, X, UserAction.PROCESS,
                          integrator_seal=seal(INTEGRATOR_B_VKN), customer_seal=seal(X.vkn))
    env.b.send(built)  # X's aliases live at A
    assert env.wait_status(built.envelope_id, 1182, 1300) == 1182
    gb = _aliases(env, UserListKind.GB, X.vkn)
    assert gb == {X.gb: None}  # nothing changed


def test_cancel_of_an_alias_not_open_here_is_1183(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = user_envelope(INTEGRATOR_B_VKN, X, UserAction.CANCEL,
                          integrator_seal=seal(INTEGRATOR_B_VKN), customer_seal=seal(X.vkn))
    env.b.send(built)
    assert env.wait_status(built.envelope_id, 1183, 1300) == 1183
    assert _aliases(env, UserListKind.GB, X.vkn) == {X.gb: None}


def test_user_envelope_for_another_integrators_vkn_is_1170(env: SimEnv,
                                                          seal: Callable[..., Seal]) -> None:
    built = user_envelope(INTEGRATOR_B_VKN, Z, UserAction.PROCESS,
                          integrator_seal=seal(INTEGRATOR_B_VKN), customer_seal=seal(Z.vkn))
    env.a.send(built)  # A sends in B's name
    assert env.wait_status(built.envelope_id, 1170, 1300) == 1170


def test_incremental_list_has_only_changed_users(env: SimEnv, seal: Callable[..., Seal]) -> None:
    first = _download(env, UserListKind.PK)
    stamp = first.headers[LIST_TIME_HEADER]
    assert {u.identifier for u in iter_users_zip(io.BytesIO(first.content))} >= {X.vkn, Y.vkn}
    env.wait_status(_open_z(env, seal), 1300)
    changed = _download(env, UserListKind.PK, since=stamp)
    assert [u.identifier for u in iter_users_zip(io.BytesIO(changed.content))] == [Z.vkn]


def test_bad_since_is_400(env: SimEnv) -> None:
    assert _download(env, UserListKind.GB, since="dün").status_code == 400


def test_lists_are_for_integrators_only(sim_factory: Callable[..., SimEnv]) -> None:
    env = sim_factory()
    for integrator in ("a", "b"):
        env.admin("DELETE", f"/admin/integrators/{integrator}")
    assert _download(env, UserListKind.GB).status_code == 403
