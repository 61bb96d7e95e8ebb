"""The whole installation's settings: one frozen tree, built once by the command line.

:class:`EntegratorConfig` composes every part's own config object (``StoreConfig``,
``HttpTransportConfig``, ``ServerConfig``, ``WorkerConfig``) with core's. :func:`load_config`
reads a TOML file (``tomllib``) and ``ENTEGRATOR_*`` environment variables — ``__`` separates
levels, the environment wins over the file::

    ENTEGRATOR_DATABASE__URL=postgresql+psycopg://entegrator@db/entegrator
    ENTEGRATOR_INTEGRATOR__VKN=1234567890
    ENTEGRATOR_GIB__MERKEZ_URL=https://merkeztest.gib.gov.tr/EFaturaMerkez/services/EFatura
    ENTEGRATOR_SIGNING__TRUST_STORE=/etc/entegrator/trust
    ENTEGRATOR_SIGNING__INTEGRATOR_SEAL__KIND=pkcs11   (module, token_label, key_label, pin…)
    ENTEGRATOR_SECRET_<NAME>=…   (or <NAME>_FILE): secrets named by seal rows (core.seals)

Only the CLI calls :func:`load_config` (with ``os.environ``); everything else receives the
objects. Defaults are the safe ones: TLS verified, the GİB endpoint answers loopback only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from entegrator.core import configtree
from entegrator.core.outbound.config import OutboundConfig
from entegrator.core.webhooks.model import WebhookSettings
from entegrator.errors import ConfigurationError
from entegrator.gib import HttpTransportConfig, ServerConfig
from entegrator.gib.contract import MERKEZ_PATH
from entegrator.signing import KeySource, Pkcs11Source, Pkcs12Source, secret_from
from entegrator.store import StoreConfig
from entegrator.store.archive.config import ArchiveConfig
from entegrator.store.jobs import WorkerConfig
from entegrator.types import Secret
from entegrator.ubl.identifiers import party

__all__ = [
    "AuthSettings",
    "EntegratorConfig",
    "GibSettings",
    "IntegratorIdentity",
    "SealSettings",
    "SecretStore",
    "ServeSettings",
    "UserListSettings",
    "WorkerSettings",
    "load_config",
    "load_database_config",
]

PREFIX: Final = "ENTEGRATOR_"
SECRET_PREFIX: Final = "ENTEGRATOR_SECRET_"
_NOT_SETTINGS: Final = ("SECRET_", "TEST_", "CONFIG", "CLIENT_")


@dataclass(frozen=True, slots=True)
class IntegratorIdentity:
    """Who this integrator is at GİB: its VKN and title (sender of USERENVELOPEs).

    ``strict_checksums`` makes taxpayer VKN/TCKNs pass their check digits; turn it off only
    for GİB's test numbers (9999999999, 1288331521…), which fail them (gib-protocol.md §4.7).
    """

    vkn: str
    title: str
    strict_checksums: bool = True

    def __post_init__(self) -> None:
        party.validate(self.vkn, checksum=self.strict_checksums)


@dataclass(frozen=True, slots=True)
class GibSettings:
    """Where GİB Merkez (or the simulator) is and how to reach it.

    ``merkez_url`` is the EFatura service URL; the user-list zips are fetched from
    ``userlist_url``, by default the ``…/EFaturaMerkez`` folder of ``merkez_url``.
    """

    merkez_url: str
    userlist_url: str | None = None
    transport: HttpTransportConfig = field(default_factory=HttpTransportConfig)
    mtom: bool = True

    def userlist_base(self) -> str:
        """The base URL that holds ``newUserGbListxml.zip`` and ``newUserPkListxml.zip``."""
        if self.userlist_url:
            return self.userlist_url.rstrip("/")
        suffix = MERKEZ_PATH.removeprefix("/EFaturaMerkez")
        if self.merkez_url.endswith(suffix):
            return self.merkez_url[: -len(suffix)]
        return self.merkez_url.rsplit("/", 1)[0]


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """``entegrator serve``: listen address and the GİB-facing endpoint (path, allow-list)."""

    host: str = "127.0.0.1"
    port: int = 8080
    gib: ServerConfig = field(default_factory=ServerConfig)
    public_url: str | None = None


@dataclass(frozen=True, slots=True)
class SecretStore:
    """Secrets that seal rows refer to by name (the database never holds a PIN).

    ``resolve("HSM_PIN")`` reads ``values["HSM_PIN"]`` (from ``ENTEGRATOR_SECRET_HSM_PIN`` or
    ``…_FILE``), else the file ``directory/HSM_PIN``.
    """

    values: Mapping[str, Secret] = field(default_factory=dict)
    directory: Path | None = None

    def resolve(self, name: str) -> Secret:
        """The secret called ``name``; ConfigurationError when it is nowhere."""
        if name in self.values:
            return self.values[name]
        if self.directory is not None and name and "/" not in name and not name.startswith("."):
            path = self.directory / name
            if path.is_file():
                return configtree.read_secret_file(path, name)
        raise ConfigurationError(
            f"gizli bilgi bulunamadı: {name} ({SECRET_PREFIX}{name} ya da {SECRET_PREFIX}"
            f"{name}_FILE tanımlayın)"
        )


@dataclass(frozen=True, slots=True)
class SealSettings:
    """Trust store, the integrator's own seal, and how seal rows find their secrets."""

    trust_store: Path
    integrator_seal: KeySource | None = None
    secrets: SecretStore = field(default_factory=SecretStore)
    refresh_interval: float = 2.0  # seconds between checks of the seals table for changes


@dataclass(frozen=True, slots=True)
class AuthSettings:
    """Password hashing cost (scrypt) and login lockout."""

    max_failed_logins: int = 5
    lockout_seconds: int = 900
    scrypt_n: int = 2**14
    scrypt_r: int = 8
    scrypt_p: int = 1

    def __post_init__(self) -> None:
        if self.scrypt_n < 2 or self.scrypt_n & (self.scrypt_n - 1):
            raise ConfigurationError("auth.scrypt_n 2'nin bir kuvveti olmalı")
        if self.max_failed_logins < 1 or self.lockout_seconds < 0:
            raise ConfigurationError("auth.max_failed_logins en az 1 olmalı")


@dataclass(frozen=True, slots=True)
class UserListSettings:
    """GİB user-list refresh: how often (GİB: at most hourly) and where zips are kept."""

    refresh_interval: float = 3600.0
    download_dir: Path | None = None  # default: <var_dir>/userlist
    incremental: bool = True  # use ?since= when the server offers it


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """``entegrator worker``: processes and the job runner's settings."""

    processes: int = 1
    runner: WorkerConfig = field(default_factory=WorkerConfig)


@dataclass(frozen=True, slots=True)
class EntegratorConfig:
    """Every setting of one installation (see the module docstring for the sources)."""

    database: StoreConfig
    integrator: IntegratorIdentity
    gib: GibSettings
    signing: SealSettings
    serve: ServeSettings = field(default_factory=ServeSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    userlist: UserListSettings = field(default_factory=UserListSettings)
    outbound: OutboundConfig = field(default_factory=OutboundConfig)
    archive: ArchiveConfig = field(default_factory=ArchiveConfig)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    var_dir: Path = Path("var")

    def userlist_dir(self) -> Path:
        """Where downloaded user-list zips go."""
        return self.userlist.download_dir or self.var_dir / "userlist"


def load_config(env: Mapping[str, str], file: Path | None = None) -> EntegratorConfig:
    """Build the configuration from a TOML ``file`` (or ``ENTEGRATOR_CONFIG``) and ``env``."""
    tree = _settings_tree(env, file)
    signing = dict(tree.get("signing") or {})
    seal_tree = signing.pop("integrator_seal", None)
    secrets_dir = signing.pop("secrets_dir", None)
    secrets = SecretStore(
        values=_secret_values(env),
        directory=Path(secrets_dir) if secrets_dir else None,
    )
    seal = None if seal_tree is None else _key_source(seal_tree)
    tree = {**tree, "signing": signing}
    overrides = {
        "signing": configtree.build(
            SealSettings, signing, "signing",
            overrides={"integrator_seal": seal, "secrets": secrets},
        )
    }
    return configtree.build(EntegratorConfig, tree, "", overrides=overrides)


def load_database_config(env: Mapping[str, str], file: Path | None = None) -> StoreConfig:
    """Only the ``database`` section (for commands that need nothing else, ``entegrator db``)."""
    tree = _settings_tree(env, file)
    return configtree.build(StoreConfig, dict(tree.get("database") or {}), "database")


def _settings_tree(env: Mapping[str, str], file: Path | None) -> dict[str, Any]:
    path = file or (Path(env["ENTEGRATOR_CONFIG"]) if env.get("ENTEGRATOR_CONFIG") else None)
    base: dict[str, Any] = {}
    if path is not None:
        try:
            base = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigurationError(f"ayar dosyası okunamadı: {path}: {exc}") from exc
    over = configtree.env_tree(env, PREFIX, skip=lambda rest: rest.startswith(_NOT_SETTINGS))
    return configtree.merge(base, over)


def _secret_values(env: Mapping[str, str]) -> dict[str, Secret]:
    names = {n[len(SECRET_PREFIX):].removesuffix("_FILE") for n in env
             if n.startswith(SECRET_PREFIX) and len(n) > len(SECRET_PREFIX)}
    return {name: secret_from(env, SECRET_PREFIX + name) for name in names if name}


def _key_source(tree: Mapping[str, Any]) -> KeySource:
    where = "signing.integrator_seal"
    values = dict(tree)
    kind = str(values.pop("kind", "pkcs12")).lower()
    if kind == "pkcs12":
        return configtree.build(Pkcs12Source, values, where)
    if kind == "pkcs11":
        return configtree.build(Pkcs11Source, values, where)
    raise ConfigurationError(f"{where}.kind pkcs12 ya da pkcs11 olmalı, {kind!r} verildi")
