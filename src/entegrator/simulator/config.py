"""Configuration of the GİB simulator: frozen dataclasses, and a TOML file reader.

A :class:`SimulatorConfig` holds the integrators (id, VKN, endpoint, source networks), GİB
portal users hosted by the simulator itself, seed users for the registered-user list, Merkez's
check switches, the GİB-time schedule (1210 retries, 1220 polls) with its time factor, fault
rules, the trust store for signatures and the admin API token. Nothing here reads the
environment; the CLI builds the object (``load_config`` for the ``--config`` file).

File layout (TOML)::

    admin_token = "…"            # optional; the admin API is loopback-only anyway
    trust_store = "trust/"       # CA certificates (PEM) of the integrators' seals
    [schedule]  time_factor = 3600.0
    [checks]    verify_signatures = true
    [[integrators]]  id = "a"  name = "A"  vkn = "…"  endpoint = "http://…"  networks = [...]
    [[portal_users]] vkn = "…"  title = "…"  gb_alias = "urn:mail:…"  pk_alias = "urn:mail:…"
    [[users]]        vkn = "…"  title = "…"  integrator = "a"  gb = [...]  pk = [...]
    [[faults]]       kind = "outage"  integrator = "b"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from cryptography import x509

from entegrator.errors import ConfigurationError, InvalidIdentifier
from entegrator.gib import HttpTransportConfig, SoapVersion
from entegrator.simulator.faults import FaultRule
from entegrator.types import Secret
from entegrator.ubl.identifiers import alias, party

__all__ = [
    "GIB_OWNER",
    "PORTAL_OWNER",
    "CheckSwitches",
    "IntegratorConfig",
    "PortalUserConfig",
    "ScheduleConfig",
    "SimulatorConfig",
    "UserSeed",
    "WorkerSettings",
    "check_integrator_id",
    "config_from_mapping",
    "load_config",
]

#: Owner of the aliases of GİB portal users (taxpayers hosted by the simulator itself).
PORTAL_OWNER: Final = "portal"
#: Origin of envelopes Merkez makes itself (test plan §7 b, c).
GIB_OWNER: Final = "gib"
_RESERVED_IDS: Final = frozenset({PORTAL_OWNER, GIB_OWNER})
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_USER_TYPES: Final = frozenset({"OZEL", "KAMU"})


def _vkn(value: str, what: str) -> str:
    try:
        return party.validate(value, checksum=False)
    except InvalidIdentifier as exc:
        raise ConfigurationError(f"{what}: {exc.message}") from exc


def _alias(value: str, what: str) -> str:
    try:
        return alias.validate(value)
    except InvalidIdentifier as exc:
        raise ConfigurationError(f"{what}: {exc.message}") from exc


def check_integrator_id(value: str) -> str:
    """Return ``value`` if it is a usable integrator id (slug, not ``portal``/``gib``)."""
    if not isinstance(value, str) or not _ID.match(value) or value in _RESERVED_IDS:
        raise ConfigurationError(
            f"entegratör kimliği küçük harf, rakam, '-' ve '_' içermeli (portal/gib olamaz): "
            f"{value!r}"
        )
    return value


@dataclass(frozen=True, slots=True)
class IntegratorConfig:
    """An özel entegratör registered with the simulator.

    ``endpoint`` is the URL of its own EFatura service (Merkez pushes envelopes there);
    ``networks`` are the source addresses (CIDR) it calls Merkez from.
    """

    id: str
    name: str
    vkn: str
    endpoint: str
    networks: tuple[str, ...] = ("127.0.0.0/8", "::1/128")

    def __post_init__(self) -> None:
        check_integrator_id(self.id)
        object.__setattr__(self, "vkn", _vkn(self.vkn, f"entegratör {self.id} VKN"))
        if not self.endpoint.startswith(("http://", "https://")):
            raise ConfigurationError(f"entegratör {self.id}: endpoint http(s) adresi olmalı")
        object.__setattr__(self, "networks", tuple(self.networks))
        if not self.networks:
            raise ConfigurationError(f"entegratör {self.id}: en az bir ağ (networks) gerekli")


@dataclass(frozen=True, slots=True)
class PortalUserConfig:
    """A taxpayer using GİB's own portal: its aliases route to the simulator itself."""

    vkn: str
    title: str
    gb_alias: str
    pk_alias: str
    type: str = "OZEL"

    def __post_init__(self) -> None:
        object.__setattr__(self, "vkn", _vkn(self.vkn, "portal kullanıcısı VKN"))
        object.__setattr__(self, "gb_alias", _alias(self.gb_alias, "portal GB etiketi"))
        object.__setattr__(self, "pk_alias", _alias(self.pk_alias, "portal PK etiketi"))
        if self.type not in _USER_TYPES or not self.title.strip():
            raise ConfigurationError(f"portal kullanıcısı {self.vkn}: tür OZEL/KAMU, unvan dolu")


@dataclass(frozen=True, slots=True)
class UserSeed:
    """A registered user put into the user list at start-up, at ``integrator``."""

    vkn: str
    title: str
    integrator: str
    type: str = "OZEL"
    gb: tuple[str, ...] = ()
    pk: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "vkn", _vkn(self.vkn, "kullanıcı VKN"))
        object.__setattr__(self, "gb", tuple(_alias(a, "GB etiketi") for a in self.gb))
        object.__setattr__(self, "pk", tuple(_alias(a, "PK etiketi") for a in self.pk))
        if self.type not in _USER_TYPES:
            raise ConfigurationError(f"kullanıcı {self.vkn}: tür OZEL ya da KAMU olmalı")


@dataclass(frozen=True, slots=True)
class CheckSwitches:
    """Which of Merkez's content checks run (zip, names, ids and routing always run).

    ``verify_signatures``: cryptographic verification against ``trust_store`` (1161, 1175,
    1176, 1177); when off, only presence (``signature_presence``) and, with
    ``require_signer_vkn``, the certificate's VKN are checked. ``strict_checksums`` adds the
    VKN/TCKN check digits (GİB checks lengths only; its test numbers fail the checksum).
    ``require_sender_owner``: the sender alias must be registered by the calling integrator.
    """

    schema: bool = True
    schematron: bool = True
    signature_presence: bool = True
    verify_signatures: bool = True
    require_signer_vkn: bool = True
    strict_checksums: bool = False
    require_sender_owner: bool = True

    @classmethod
    def off(cls) -> CheckSwitches:
        """Merkez "with its own checks off": no XSD, schematron or signature checks."""
        return cls(
            schema=False,
            schematron=False,
            signature_presence=False,
            verify_signatures=False,
            require_signer_vkn=False,
        )


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """GİB-time schedule (Ek-2 §4.1) and how fast GİB time runs (``time_factor``).

    A delivery that fails gets 1210 and is retried ``retries`` times every
    ``retry_interval`` GİB seconds, then 1215. An envelope in 1220 has its receiver polled
    every ``poll_interval`` GİB seconds, at most ``max_polls`` times. With ``time_factor``
    3600, GİB's two hours pass in two seconds.
    """

    time_factor: float = 1.0
    retry_interval: float = 2 * 3600.0
    retries: int = 4
    poll_interval: float = 1800.0
    max_polls: int = 96

    def __post_init__(self) -> None:
        if self.time_factor <= 0:
            raise ConfigurationError("time_factor pozitif olmalı")
        if self.retries < 0 or self.max_polls < 0:
            raise ConfigurationError("retries ve max_polls negatif olamaz")

    def scaled(self, gib_seconds: float) -> timedelta:
        """How long ``gib_seconds`` of GİB time last on the simulator's clock."""
        return timedelta(seconds=gib_seconds / self.time_factor)


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """In-process job workers: one group checks envelopes, the other talks to integrators."""

    process_workers: int = 1
    network_workers: int = 2
    batch_size: int = 4
    poll_interval: float = 0.2
    lease: float = 120.0

    def __post_init__(self) -> None:
        if self.process_workers < 1 or self.network_workers < 1 or self.batch_size < 1:
            raise ConfigurationError("işçi sayıları ve batch_size en az 1 olmalı")


def _delivery_default() -> HttpTransportConfig:
    return HttpTransportConfig(connect_timeout=5.0, read_timeout=30.0,
                               user_agent="entegrator-gib-simulator")


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """Everything the simulator needs besides its database and clock."""

    integrators: tuple[IntegratorConfig, ...] = ()
    portal_users: tuple[PortalUserConfig, ...] = ()
    users: tuple[UserSeed, ...] = ()
    checks: CheckSwitches = field(default_factory=CheckSwitches)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    workers: WorkerSettings = field(default_factory=WorkerSettings)
    faults: tuple[FaultRule, ...] = ()
    trust_store: Path | None = None
    trust_anchors: tuple[x509.Certificate, ...] = ()
    portal_trust_out: Path | None = None
    admin_token: Secret | None = None
    admin_remote: bool = False
    public_url: str | None = None
    max_body_bytes: int = 16 * 1024 * 1024
    delivery: HttpTransportConfig = field(default_factory=_delivery_default)
    soap_version: SoapVersion = SoapVersion.V12
    mtom: bool = True

    def __post_init__(self) -> None:
        ids = [i.id for i in self.integrators]
        if len(ids) != len(set(ids)):
            raise ConfigurationError("entegratör kimlikleri tekil olmalı")
        known = set(ids)
        for seed in self.users:
            if seed.integrator not in known:
                raise ConfigurationError(
                    f"kullanıcı {seed.vkn}: bilinmeyen entegratör {seed.integrator!r}")
        portal = [u.vkn for u in self.portal_users]
        if len(portal) != len(set(portal)):
            raise ConfigurationError("portal kullanıcılarının VKN'leri tekil olmalı")

    def with_time_factor(self, factor: float) -> SimulatorConfig:
        """A copy running GİB time ``factor`` times faster."""
        return replace(self, schedule=replace(self.schedule, time_factor=factor))


def _section(cls: type[Any], data: Mapping[str, Any] | None, where: str) -> Any:
    data = dict(data or {})
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigurationError(f"{where}: bilinmeyen alan(lar): {', '.join(unknown)}")
    for key, value in data.items():
        if isinstance(value, list):
            data[key] = tuple(value)
    try:
        return cls(**data)
    except TypeError as exc:
        raise ConfigurationError(f"{where}: {exc}") from exc


def config_from_mapping(data: Mapping[str, Any], *,
                        base_dir: Path | None = None) -> SimulatorConfig:
    """Build a :class:`SimulatorConfig` from decoded TOML (paths relative to ``base_dir``)."""
    data = dict(data)
    known = {"integrators", "portal_users", "users", "checks", "schedule", "workers", "faults",
             "trust_store", "portal_trust_out", "admin_token", "admin_remote", "public_url",
             "max_body_bytes"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigurationError(f"simülatör ayarlarında bilinmeyen alan(lar): {unknown}")

    def path(key: str) -> Path | None:
        value = data.get(key)
        if value is None:
            return None
        result = Path(value)
        return result if result.is_absolute() or base_dir is None else base_dir / result

    token = data.get("admin_token")
    return SimulatorConfig(
        integrators=tuple(_section(IntegratorConfig, i, "integrators")
                          for i in data.get("integrators", ())),
        portal_users=tuple(_section(PortalUserConfig, u, "portal_users")
                           for u in data.get("portal_users", ())),
        users=tuple(_section(UserSeed, u, "users") for u in data.get("users", ())),
        checks=_section(CheckSwitches, data.get("checks"), "checks"),
        schedule=_section(ScheduleConfig, data.get("schedule"), "schedule"),
        workers=_section(WorkerSettings, data.get("workers"), "workers"),
        faults=tuple(FaultRule.from_mapping(dict(f)) for f in data.get("faults", ())),
        trust_store=path("trust_store"),
        portal_trust_out=path("portal_trust_out"),
        admin_token=Secret(str(token)) if token else None,
        admin_remote=bool(data.get("admin_remote", False)),
        public_url=data.get("public_url"),
        max_body_bytes=int(data.get("max_body_bytes", 16 * 1024 * 1024)),
    )


def load_config(path: Path) -> SimulatorConfig:
    """Read a TOML config file (see the module docstring)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"simülatör ayar dosyası okunamadı: {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"simülatör ayar dosyası TOML değil: {path}: {exc}") from exc
    return config_from_mapping(data, base_dir=path.parent)
