"""Tests of entegrator.cli.admin: taxpayer, alias, user, seal and apikey commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.cli.main import main
from entegrator.core import auth, seals, tenants
from entegrator.core.auth import RequestOrigin
from entegrator.core.config import AuthSettings
from entegrator.core.tenants import AliasState
from entegrator.store import Database, StoreConfig, audit
from entegrator.store.tenancy import TenantScope
from tests.core.support import (
    SEAL_PASSWORD_REF,
    CorePki,
    admin_caller,
    make_config,
    make_pki,
    write_config_file,
)

VKN = "4540536920"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def configured(db: Database, db_config: StoreConfig, tmp_path: Path, pki: CorePki,
               monkeypatch: pytest.MonkeyPatch) -> Database:
    """A migrated database and ENTEGRATOR_CONFIG pointing at it."""
    path = write_config_file(make_config(db_config, tmp_path, pki), tmp_path)
    monkeypatch.setenv("ENTEGRATOR_CONFIG", str(path))
    return db


def _add_taxpayer(*extra: str) -> int:
    return main(["taxpayer", "add", "--vkn", VKN, "--title", "Anadolu Bilişim A.Ş.",
                 "--domain", "anadolubilisim.com.tr", *extra])


def _tenant(db: Database) -> int:
    with db.transaction(read_only=True) as conn:
        found = tenants.find_taxpayer(conn, VKN)
    assert found is not None
    return found.id


def test_taxpayer_add_creates_it_with_default_aliases(
    configured: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add_taxpayer() == 0
    assert "mükellef eklendi: 4540536920" in capsys.readouterr().out
    with configured.transaction(read_only=True) as conn:
        aliases = tenants.list_aliases(conn, admin_caller(_tenant(configured)))
        entries = audit.entries(TenantScope(conn, _tenant(configured)))
    assert {(a.role.value, a.alias, a.gib_state) for a in aliases} == {
        ("GB", "urn:mail:defaultgb@anadolubilisim.com.tr", AliasState.PENDING),
        ("PK", "urn:mail:defaultpk@anadolubilisim.com.tr", AliasState.PENDING)}
    assert entries[-1].action == "taxpayer.create"
    assert entries[-1].actor.channel == "cli"


def test_taxpayer_list_shows_taxpayers_and_aliases(
    configured: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_taxpayer("--registered")
    capsys.readouterr()
    assert main(["taxpayer", "list"]) == 0
    out = capsys.readouterr().out
    assert "4540536920\tAnadolu Bilişim A.Ş." in out
    assert "PK:urn:mail:defaultpk@anadolubilisim.com.tr [registered]" in out


def test_taxpayer_add_reports_a_duplicate_in_turkish(
    configured: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_taxpayer()
    assert _add_taxpayer() == 2
    assert "zaten kayıtlı" in capsys.readouterr().err


def test_alias_add_adds_an_alias(configured: Database) -> None:
    _add_taxpayer()
    assert main(["alias", "add", "--vkn", VKN, "--alias", "urn:mail:ikinci@anadolubilisim.com.tr",
                 "--role", "PK", "--default"]) == 0
    with configured.transaction(read_only=True) as conn:
        default = tenants.default_alias(conn, admin_caller(_tenant(configured)), "PK")
    assert default.alias == "urn:mail:ikinci@anadolubilisim.com.tr"


def test_user_add_takes_the_password_from_a_variable(
    configured: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _add_taxpayer()
    monkeypatch.setenv("YENI_PAROLA", "cok-gizli-parola")
    assert main(["user", "add", "--vkn", VKN, "--username", "muhasebe", "--role", "accountant",
                 "--password-env", "YENI_PAROLA"]) == 0
    caller = auth.authenticate_user(configured, "muhasebe", "cok-gizli-parola",
                                    RequestOrigin("portal"), settings=AuthSettings(scrypt_n=2**10))
    assert (caller.tenant_id, caller.role.value) == (_tenant(configured), "accountant")


def test_seal_set_checks_the_seal_before_storing_it(
    configured: Database, pki: CorePki, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_taxpayer()
    foreign = pki.seal_file("9205121120", "Karadeniz")
    assert main(["seal", "set", "--vkn", VKN, "--p12", str(foreign),
                 "--password-ref", SEAL_PASSWORD_REF]) == 2
    own = pki.seal_file(VKN, "Anadolu Bilişim A.Ş.")
    assert main(["seal", "set", "--vkn", VKN, "--p12", str(own),
                 "--password-ref", SEAL_PASSWORD_REF]) == 0
    assert "mühür tanımlandı (pkcs12)" in capsys.readouterr().out
    with configured.transaction(read_only=True) as conn:
        record = seals.current_seal(conn, admin_caller(_tenant(configured)))
    assert record is not None and record.certificate_pem and record.not_after is not None


def test_apikey_create_prints_a_working_token_once(
    configured: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_taxpayer()
    capsys.readouterr()
    assert main(["apikey", "create", "--vkn", VKN, "--label", "ERP"]) == 0
    token = capsys.readouterr().out.splitlines()[0].removeprefix("API anahtarı: ")
    caller = auth.authenticate_api_key(configured, token, RequestOrigin("api"))
    assert caller.tenant_id == _tenant(configured)


def test_commands_for_an_unknown_taxpayer_fail_clearly(
    configured: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apikey", "create", "--vkn", VKN]) == 2
    assert "mükellef yok" in capsys.readouterr().err
