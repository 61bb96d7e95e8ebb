"""The integrator's half of ``entegrator demo``: test PKI, configuration, two taxpayers.

Everything lives in one directory (``./var/demo`` by default): the dev PKI's trust store,
the integrator's and Anadolu Bilişim's seals as PKCS#12 files, Karadeniz Gıda's key inside a
SoftHSM2 token (the HSM path of production), secrets as files, the SQLite database and a
``entegrator.toml`` that other commands (``entegrator demo send-sample``) read. The GİB
simulator and the web servers are started by :mod:`entegrator.cli.demo` (core may not
import the simulator). The taxpayers' aliases start ``pending`` and are registered at the
simulator the real way, by USERENVELOPE (:mod:`entegrator.core.registration`).
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, select

from entegrator.core import credentials, registration, seals, tenants, users
from entegrator.core.config import EntegratorConfig, load_config
from entegrator.core.context import Caller
from entegrator.core.outbound import SubmitResult, submit
from entegrator.core.permissions import Role
from entegrator.core.states import DocumentState
from entegrator.core.tenants import AliasState
from entegrator.core.wiring import Integrator
from entegrator.errors import ConfigurationError
from entegrator.signing import softhsm
from entegrator.signing.devpki import DevPki
from entegrator.store.audit import Actor, ActorKind
from entegrator.store.domain import documents
from entegrator.store.tenancy import all_tenants
from entegrator.types import Secret
from entegrator.ubl import load_invoice
from entegrator.ubl.responses.model import TURKEY_TIME

__all__ = [
    "INTEGRATOR",
    "TAXPAYERS",
    "DemoParty",
    "DemoPaths",
    "aliases_registered",
    "document_state",
    "load",
    "prepare",
    "received_count",
    "register_all",
    "sample_invoice",
    "seed",
    "send_sample",
    "wait_for",
    "write_config",
]

MARKER: Final = ".entegrator-demo"
OPERATOR: Final = Actor(ActorKind.USER, "demo", channel="cli")
HSM_LABEL: Final = "entegrator-demo"
HSM_KEY: Final = "karadeniz-muhur"


@dataclass(frozen=True, slots=True)
class DemoParty:
    """A demo company (the parties of examples/01-temel-satis.json)."""

    vkn: str
    title: str
    domain: str
    tax_office: str
    username: str
    password: str

    @property
    def gb(self) -> str:
        """Default GB alias."""
        return f"urn:mail:defaultgb@{self.domain}"

    @property
    def pk(self) -> str:
        """Default PK alias."""
        return f"urn:mail:defaultpk@{self.domain}"


INTEGRATOR: Final = ("7000000007", "entegrator Demo Bilişim A.Ş.")
TAXPAYERS: Final = (
    DemoParty("4540536920", "Anadolu Bilişim Teknolojileri A.Ş.", "anadolubilisim.com.tr",
              "Beşiktaş", "anadolu", "anadolu-demo-1"),
    DemoParty("9205121120", "Karadeniz Gıda Sanayi ve Ticaret Ltd. Şti.", "karadenizgida.com.tr",
              "Çankaya", "karadeniz", "karadeniz-demo-1"),
)


@dataclass(frozen=True, slots=True)
class DemoPaths:
    """The files of one demo directory."""

    root: Path

    @property
    def trust(self) -> Path:
        """Trusted CA certificates (dev PKI)."""
        return self.root / "trust"

    @property
    def secrets(self) -> Path:
        """One file per secret (PKCS#12 passwords, HSM PIN)."""
        return self.root / "secrets"

    @property
    def softhsm(self) -> Path:
        """The SoftHSM2 token directory and its configuration."""
        return self.root / "softhsm"

    @property
    def config(self) -> Path:
        """The integrator's configuration file."""
        return self.root / "entegrator.toml"

    @property
    def database(self) -> Path:
        """The integrator's SQLite database."""
        return self.root / "entegrator.db"

    @property
    def simulator_database(self) -> Path:
        """The simulator's own SQLite database."""
        return self.root / "gib-sim.db"

    def token(self) -> softhsm.SoftHsmToken:
        """The demo's SoftHSM2 token."""
        return softhsm.SoftHsmToken(self.softhsm, HSM_LABEL, self.secret("HSM_PIN"))

    def secret(self, name: str) -> Secret:
        """A secret written by :func:`prepare`."""
        return Secret((self.secrets / name).read_text(encoding="utf-8").strip())

    def api_key_file(self, party: DemoParty) -> Path:
        """Where the taxpayer's REST API key is written by :func:`seed`."""
        return self.secrets / f"{party.username}.apikey"


def prepare(root: Path) -> DemoPaths:
    """Make a fresh demo directory: PKI, seals (one PKCS#12, one in SoftHSM2), secrets.

    An existing directory is replaced only if an earlier demo made it.
    """
    if root.exists():
        if not (root / MARKER).exists():
            raise ConfigurationError(f"{root} boş değil ve bir demo dizini değil; başka bir "
                                     "dizin verin (--dir)")
        shutil.rmtree(root)
    paths = DemoPaths(root)
    for directory in (root, paths.secrets):
        directory.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("entegrator demo dizini\n", encoding="utf-8")
    paths.secrets.chmod(0o700)
    for name in ("INTEGRATOR_P12", "ANADOLU_P12", "HSM_PIN", "HSM_SO_PIN"):
        (paths.secrets / name).write_text(secrets.token_hex(8) + "\n", encoding="utf-8")
    pki = DevPki.create("entegrator Demo")
    pki.write_trust_directory(paths.trust)
    own = pki.issue_seal(INTEGRATOR[0], INTEGRATOR[1])
    (root / "integrator.p12").write_bytes(own.pkcs12(paths.secret("INTEGRATOR_P12")))
    anadolu, karadeniz = TAXPAYERS
    issued = pki.issue_seal(anadolu.vkn, anadolu.title)
    (root / "anadolu.p12").write_bytes(issued.pkcs12(paths.secret("ANADOLU_P12")))
    token = softhsm.init_token(paths.softhsm, HSM_LABEL, pin=paths.secret("HSM_PIN"),
                               so_pin=paths.secret("HSM_SO_PIN"))
    hsm_seal = pki.issue_seal(karadeniz.vkn, karadeniz.title)
    token.import_key(hsm_seal.private_key_der(), hsm_seal.certificate, label=HSM_KEY,
                     key_id=b"\x01")
    return paths


def write_config(paths: DemoPaths, *, port: int, merkez_url: str, userlist_url: str) -> Path:
    """Write ``entegrator.toml`` for the demo's integrator; return its path."""
    text = f"""# entegrator demo ayarları (entegrator demo tarafından yazıldı)
var_dir = "{paths.root}"

[database]
url = "sqlite:///{paths.database}"

[integrator]
vkn = "{INTEGRATOR[0]}"
title = "{INTEGRATOR[1]}"

[gib]
merkez_url = "{merkez_url}"
userlist_url = "{userlist_url}"

[serve]
host = "127.0.0.1"
port = {port}

[signing]
trust_store = "{paths.trust}"
secrets_dir = "{paths.secrets}"
refresh_interval = 1.0

[signing.integrator_seal]
kind = "pkcs12"
path = "{paths.root / 'integrator.p12'}"
password_file = "{paths.secrets / 'INTEGRATOR_P12'}"

[outbound]
poll_first_delay = 2.0
poll_interval = 2.0

[worker.runner]
poll_interval = 0.2
"""
    paths.config.write_text(text, encoding="utf-8")
    return paths.config


def load(paths: DemoPaths) -> EntegratorConfig:
    """The demo's configuration (the environment does not interfere)."""
    return load_config({}, paths.config)


def seed(integrator: Integrator, paths: DemoPaths) -> list[Caller]:
    """Create both taxpayers with pending aliases, an admin user, their seals and an API key
    each (written to :meth:`DemoPaths.api_key_file`)."""
    callers = []
    clock = integrator.clock
    specs: list[seals.SealSpec] = [
        seals.Pkcs12Seal(paths.root / "anadolu.p12", "ANADOLU_P12"),
        seals.Pkcs11Seal(softhsm.DEFAULT_MODULE, HSM_LABEL, "HSM_PIN", key_label=HSM_KEY),
    ]
    for party, spec in zip(TAXPAYERS, specs, strict=True):
        certificate = integrator.seals.check(party.vkn, spec)
        with integrator.db.transaction() as conn:
            made = tenants.create_taxpayer(
                conn, OPERATOR, tenants.NewTaxpayer(party.vkn, party.title,
                                                    tax_office=party.tax_office,
                                                    email=f"fatura@{party.domain}"),
                clock=clock)
            caller = Caller(tenant_id=made.id, actor=OPERATOR, role=Role.ADMIN)
            tenants.add_alias(conn, caller, party.gb, "GB", clock=clock)
            tenants.add_alias(conn, caller, party.pk, "PK", clock=clock)
            users.add_user(conn, caller, party.username, party.password, Role.ADMIN,
                           settings=integrator.config.auth, clock=clock)
            seals.set_seal(conn, caller, spec, certificate=certificate, clock=clock)
            key = credentials.create_api_key(conn, caller, role=Role.API, label="demo ERP",
                                             clock=clock)
        key_file = paths.api_key_file(party)
        key_file.write_text(key.token.reveal() + "\n", encoding="utf-8")
        key_file.chmod(0o600)
        callers.append(caller)
    integrator.seals.refresh()
    return callers


def register_all(integrator: Integrator, callers: list[Caller]) -> None:
    """Send every taxpayer's pending aliases to GİB (USERENVELOPE)."""
    for caller in callers:
        registration.register_aliases(integrator, caller)


def aliases_registered(integrator: Integrator, callers: list[Caller]) -> bool:
    """True once every alias of ``callers`` is registered; raises if GİB refused one."""
    with integrator.db.transaction(read_only=True) as conn:
        states = [a.gib_state for caller in callers
                  for a in tenants.list_aliases(conn, caller, include_closed=True)]
    if AliasState.FAILED in states:
        raise ConfigurationError("GİB etiket kaydını reddetti (ayrıntı: denetim kaydı)")
    return all(state is AliasState.REGISTERED for state in states)


def sample_invoice(now: dt.datetime) -> dict[str, Any]:
    """A TEMELFATURA from Anadolu Bilişim to Karadeniz Gıda, dated today (Türkiye)."""
    anadolu, karadeniz = TAXPAYERS
    return {
        "profile": "TEMELFATURA",
        "invoice_type": "SATIS",
        "issue_date": now.astimezone(TURKEY_TIME).date().isoformat(),
        "supplier": {"vkn": anadolu.vkn, "name": anadolu.title, "tax_office": anadolu.tax_office,
                     "address": {"street": "Barbaros Bulvarı", "building_number": "145",
                                 "city_subdivision": "Beşiktaş", "city": "İstanbul",
                                 "postal_code": "34349", "country_code": "TR"},
                     "alias": anadolu.gb},
        "customer": {"vkn": karadeniz.vkn, "name": karadeniz.title,
                     "tax_office": karadeniz.tax_office,
                     "address": {"street": "Atatürk Bulvarı", "building_number": "72/4",
                                 "city_subdivision": "Çankaya", "city": "Ankara",
                                 "postal_code": "06420"},
                     "alias": karadeniz.pk},
        "lines": [{"name": "Dizüstü bilgisayar", "quantity": "2", "unit_code": "C62",
                   "unit_price": "32500", "taxes": [{"percent": "20"}]}],
    }


def send_sample(integrator: Integrator, spec: dict[str, Any] | None = None) -> SubmitResult:
    """Submit the sample (or ``spec``) as Anadolu Bilişim's admin, numbered from series ENT."""
    with integrator.db.transaction(read_only=True) as conn:
        taxpayer = tenants.find_taxpayer(conn, TAXPAYERS[0].vkn)
    if taxpayer is None:
        raise ConfigurationError("demo mükellefleri yok; önce 'entegrator demo' çalıştırın")
    caller = Caller(tenant_id=taxpayer.id, actor=OPERATOR, role=Role.ADMIN)
    invoice = load_invoice(spec or sample_invoice(integrator.clock.now()))
    return submit(integrator, caller, invoice, series="ENT", channel="cli")


def document_state(integrator: Integrator, document_id: int) -> DocumentState:
    """The current state of one document (system read)."""
    with integrator.db.transaction(read_only=True) as conn:
        state = conn.execute(all_tenants(select(documents.c.state).where(
            documents.c.id == document_id))).scalar_one()
    return DocumentState(state)


def received_count(integrator: Integrator) -> int:
    """How many invoices the demo's taxpayers received."""
    with integrator.db.transaction(read_only=True) as conn:
        count = conn.execute(all_tenants(select(func.count()).select_from(documents).where(
            documents.c.direction == "IN"))).scalar_one()
    return int(count)


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str,
             interval: float = 0.2) -> None:
    """Poll ``condition()`` until it is true; ConfigurationError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise ConfigurationError(f"zaman aşımı: {what}")
        time.sleep(interval)
