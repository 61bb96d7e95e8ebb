"""Helpers every core test shares: a test PKI, a configured Integrator on a test database,
taxpayers with GB/PK aliases, a user and a seal.

Typical use (fixtures in tests/core/conftest.py do exactly this)::

    pki = make_pki(tmp_path_factory.mktemp("pki"))            # once per session: RSA keys
    integrator = make_integrator(db_config, tmp_path, pki)     # migrated DB, FakeClock at now
    seller = add_taxpayer(integrator, pki, SUPPLIER)           # aliases registered, p12 seal
    buyer = add_taxpayer(integrator, pki, CUSTOMER)
    with integrator.db.transaction() as conn:
        ...  # seller.caller is an admin Caller of the seller's tenant

C2/C3 may add helpers here (small, additive edits).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from entegrator.core import seals, tenants, users
from entegrator.core.config import (
    AuthSettings,
    EntegratorConfig,
    GibSettings,
    IntegratorIdentity,
    SealSettings,
    SecretStore,
)
from entegrator.core.context import Caller
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator, SchemaPolicy, build_integrator
from entegrator.gib import HttpTransportConfig, Transport
from entegrator.signing import Pkcs12Source
from entegrator.signing.devpki import DevPki
from entegrator.store import FakeClock, StoreConfig
from entegrator.store.audit import Actor, ActorKind
from entegrator.store.clock import Clock
from entegrator.types import Secret

__all__ = [
    "CUSTOMER",
    "INTEGRATOR_VKN",
    "OPERATOR",
    "SEAL_PASSWORD",
    "SEAL_PASSWORD_REF",
    "SUPPLIER",
    "CorePki",
    "PartySpec",
    "SeededTaxpayer",
    "add_taxpayer",
    "admin_caller",
    "make_config",
    "make_integrator",
    "make_pki",
    "write_config_file",
]

#: The integrator's own VKN in tests (passes the check digit).
INTEGRATOR_VKN = "7000000007"
INTEGRATOR_TITLE = "entegrator Test Bilişim A.Ş."
#: Every test PKCS#12 file uses this password, found by seal rows under this reference.
SEAL_PASSWORD_REF = "TEST_SEAL_PASSWORD"
SEAL_PASSWORD = Secret("test-seal-password")
USER_PASSWORD = "parola-1234"
#: The operator who creates taxpayers in tests.
OPERATOR = Actor(ActorKind.USER, "operator", channel="cli")
#: Where nobody listens: tests that never talk to GİB still need a Merkez URL.
NOWHERE = "http://127.0.0.1:9/EFaturaMerkez/services/EFatura"


@dataclass(frozen=True, slots=True)
class PartySpec:
    """A demo company: VKN, title, alias domain (the parties of examples/01-temel-satis.json)."""

    vkn: str
    title: str
    domain: str
    tax_office: str = "Beşiktaş"

    @property
    def gb(self) -> str:
        """The default GB alias."""
        return f"urn:mail:defaultgb@{self.domain}"

    @property
    def pk(self) -> str:
        """The default PK alias."""
        return f"urn:mail:defaultpk@{self.domain}"


SUPPLIER = PartySpec("4540536920", "Anadolu Bilişim Teknolojileri A.Ş.", "anadolubilisim.com.tr")
CUSTOMER = PartySpec(
    "9205121120", "Karadeniz Gıda Sanayi ve Ticaret Ltd. Şti.", "karadenizgida.com.tr", "Çankaya"
)


@dataclass(slots=True)
class CorePki:
    """A dev PKI with its trust directory and the integrator's own PKCS#12 seal."""

    pki: DevPki
    directory: Path
    trust_dir: Path
    integrator_p12: Path
    _issued: dict[str, Path] = field(default_factory=dict)

    def seal_file(self, vkn: str, title: str) -> Path:
        """A PKCS#12 seal for ``vkn`` (made once per PKI), password :data:`SEAL_PASSWORD`."""
        path = self._issued.get(vkn)
        if path is None:
            path = self.directory / f"seal-{vkn}.p12"
            path.write_bytes(self.pki.issue_seal(vkn, title).pkcs12(SEAL_PASSWORD))
            self._issued[vkn] = path
        return path


def make_pki(directory: Path) -> CorePki:
    """Create a PKI under ``directory`` (slow: RSA keys; share it per session)."""
    pki = DevPki.create()
    trust_dir = pki.write_trust_directory(directory / "trust")
    integrator_p12 = directory / "integrator.p12"
    own = pki.issue_seal(INTEGRATOR_VKN, INTEGRATOR_TITLE)
    integrator_p12.write_bytes(own.pkcs12(SEAL_PASSWORD))
    return CorePki(pki, directory, trust_dir, integrator_p12)


def make_config(
    db_config: StoreConfig, directory: Path, pki: CorePki, *, merkez_url: str = NOWHERE,
    **changes: Any,
) -> EntegratorConfig:
    """A configuration for tests: cheap scrypt, loopback GİB, GİB test numbers admitted."""
    config = EntegratorConfig(
        database=db_config,
        integrator=IntegratorIdentity(INTEGRATOR_VKN, INTEGRATOR_TITLE, strict_checksums=False),
        gib=GibSettings(merkez_url=merkez_url,
                        transport=HttpTransportConfig(connect_timeout=2, read_timeout=30)),
        signing=SealSettings(
            trust_store=pki.trust_dir,
            integrator_seal=Pkcs12Source(pki.integrator_p12, SEAL_PASSWORD),
            secrets=SecretStore({SEAL_PASSWORD_REF: SEAL_PASSWORD}),
            refresh_interval=0.0,
        ),
        auth=AuthSettings(scrypt_n=2**10),
        var_dir=directory / "var",
    )
    return replace(config, **changes) if changes else config


def make_integrator(
    db_config: StoreConfig,
    directory: Path,
    pki: CorePki,
    *,
    clock: Clock | None = None,
    transport: Transport | None = None,
    schema: SchemaPolicy = "upgrade",
    **config_changes: Any,
) -> Integrator:
    """An Integrator on a migrated test database with a FakeClock at the real current time
    (seals from the dev PKI are valid now, not at FakeClock's default 2030). Close it."""
    config = make_config(db_config, directory, pki, **config_changes)
    return build_integrator(
        config,
        clock=clock or FakeClock(dt.datetime.now(dt.UTC)),
        transport=transport,
        schema=schema,
    )


def admin_caller(tenant_id: int, actor: Actor = OPERATOR) -> Caller:
    """An admin of ``tenant_id`` (as the operator acting for that taxpayer)."""
    return Caller(tenant_id=tenant_id, actor=actor, role=Role.ADMIN)


@dataclass(frozen=True, slots=True)
class SeededTaxpayer:
    """A taxpayer made by :func:`add_taxpayer`."""

    taxpayer: tenants.Taxpayer
    party: PartySpec
    caller: Caller  # an admin of this taxpayer
    username: str
    password: str
    seal_path: Path | None

    @property
    def id(self) -> int:
        """The tenant id."""
        return self.taxpayer.id

    @property
    def vkn(self) -> str:
        """The VKN/TCKN."""
        return self.taxpayer.vkn_tckn

    def as_role(self, role: Role) -> Caller:
        """A caller of this taxpayer with another role."""
        return Caller(tenant_id=self.id, actor=self.caller.actor, role=role)


def add_taxpayer(
    integrator: Integrator,
    pki: CorePki,
    party: PartySpec = SUPPLIER,
    *,
    registered: bool = True,
    seal: str = "pkcs12",
    role: Role = Role.ADMIN,
) -> SeededTaxpayer:
    """Create ``party`` as a taxpayer with default GB/PK aliases, one user and a seal.

    ``registered=True`` records the aliases as already registered at GİB (no USERENVELOPE);
    ``seal`` is ``"pkcs12"`` (own dev-PKI seal), ``"delegated"`` or ``"none"``. The user is
    ``<domain part>@test`` with password ``parola-1234`` and ``role``.
    """
    clock = integrator.clock
    seal_path = pki.seal_file(party.vkn, party.title) if seal == "pkcs12" else None
    username = f"{party.domain.split('.')[0]}@test"
    with integrator.db.transaction() as conn:
        taxpayer = tenants.create_taxpayer(
            conn, OPERATOR,
            tenants.NewTaxpayer(party.vkn, party.title, tax_office=party.tax_office,
                                email=f"info@{party.domain}"),
            checksum=integrator.config.integrator.strict_checksums, clock=clock,
        )
        caller = admin_caller(taxpayer.id)
        tenants.add_alias(conn, caller, party.gb, "GB", registered=registered, clock=clock)
        tenants.add_alias(conn, caller, party.pk, "PK", registered=registered, clock=clock)
        users.add_user(conn, caller, username, USER_PASSWORD, role,
                       settings=integrator.config.auth, clock=clock)
        if seal_path is not None:
            seals.set_seal(conn, caller, seals.Pkcs12Seal(seal_path, SEAL_PASSWORD_REF),
                           clock=clock)
        elif seal == "delegated":
            seals.set_seal(conn, caller, seals.DelegatedSeal(), clock=clock)
    integrator.seals.refresh()
    return SeededTaxpayer(taxpayer, party, caller, username, USER_PASSWORD, seal_path)


def write_config_file(config: EntegratorConfig, directory: Path) -> Path:
    """Write ``config`` (as made by :func:`make_config`) as a TOML file for CLI tests.

    Secrets go to files under ``directory/secrets``; returns the TOML path.
    """
    secrets_dir = directory / "secrets"
    secrets_dir.mkdir(parents=True, exist_ok=True)
    (secrets_dir / SEAL_PASSWORD_REF).write_text(SEAL_PASSWORD.reveal(), encoding="utf-8")
    seal = config.signing.integrator_seal
    if not isinstance(seal, Pkcs12Source):
        raise TypeError("write_config_file knows PKCS#12 integrator seals only")
    schema = (f'pg_schema = "{config.database.pg_schema}"\n'
              if config.database.pg_schema else "")
    text = (
        f'var_dir = "{config.var_dir}"\n'
        f'[database]\nurl = "{config.database.url}"\n{schema}'
        f'[integrator]\nvkn = "{config.integrator.vkn}"\ntitle = "{config.integrator.title}"\n'
        f"strict_checksums = {str(config.integrator.strict_checksums).lower()}\n"
        f'[gib]\nmerkez_url = "{config.gib.merkez_url}"\n'
        f'[signing]\ntrust_store = "{config.signing.trust_store}"\n'
        f'secrets_dir = "{secrets_dir}"\nrefresh_interval = 0.0\n'
        f'[signing.integrator_seal]\nkind = "pkcs12"\npath = "{seal.path}"\n'
        f'password_file = "{secrets_dir / SEAL_PASSWORD_REF}"\n'
        f"[auth]\nscrypt_n = {config.auth.scrypt_n}\n"
    )
    path = directory / "entegrator.toml"
    path.write_text(text, encoding="utf-8")
    return path
