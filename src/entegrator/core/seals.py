"""Taxpayers' financial seals (mali mühür): the ``seals`` rows and the resolver built on them.

A seal row says where a taxpayer's key lives — a PKCS#12 file, a key on a PKCS#11 token, or
``delegated`` (the integrator's own seal signs for it, Özel Entegratörlük Kılavuzu §2.2) —
and names its password/PIN by reference (:class:`~entegrator.core.config.SecretStore`): the
database never holds a secret. :func:`set_seal` replaces the active seal (the old row stays,
inactive, for the record) and is audited.

:class:`SealResolver` answers ``seal_for(vkn)`` like :class:`~entegrator.signing.SealRegistry`
(it wraps one built from the active rows + the integrator's seal from the configuration).
It notices changes made by any process: at most every ``refresh_interval`` seconds it reads a
fingerprint of the table (highest id, number of active rows) and rebuilds the registry when it
moved. Replaced registries are closed only by :meth:`SealResolver.close`, so a signature in
flight never loses its token session.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import Connection, func, select

from entegrator.core.config import SealSettings
from entegrator.core.context import Caller
from entegrator.core.permissions import Permission
from entegrator.errors import ConfigurationError
from entegrator.signing import (
    Pkcs11Source,
    Pkcs12Source,
    Seal,
    SealConfigurationError,
    SealRegistry,
    SigningConfig,
    TaxpayerSeal,
    TrustStore,
)
from entegrator.store import audit
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.db import Database
from entegrator.store.domain import seals, taxpayers
from entegrator.store.tenancy import all_tenants

__all__ = [
    "DelegatedSeal",
    "Pkcs11Seal",
    "Pkcs12Seal",
    "SealRecord",
    "SealResolver",
    "SealSpec",
    "current_seal",
    "set_seal",
    "source_of",
]


@dataclass(frozen=True, slots=True)
class Pkcs12Seal:
    """A PKCS#12 file; ``password_ref`` names the secret holding its password."""

    path: Path
    password_ref: str
    kind = "pkcs12"


@dataclass(frozen=True, slots=True)
class Pkcs11Seal:
    """A key on a PKCS#11 token (HSM); ``pin_ref`` names the secret holding the user PIN."""

    module: Path
    token_label: str
    pin_ref: str
    key_label: str | None = None
    key_id: str | None = None  # hex
    certificate: Path | None = None
    kind = "pkcs11"

    def __post_init__(self) -> None:
        if self.key_label is None and self.key_id is None:
            raise SealConfigurationError("PKCS#11 anahtarı için key_label ya da key_id verilmeli")
        if self.key_id is not None:
            try:
                bytes.fromhex(self.key_id)
            except ValueError as exc:
                raise SealConfigurationError(f"key_id onaltılık olmalı: {self.key_id}") from exc


@dataclass(frozen=True, slots=True)
class DelegatedSeal:
    """No own key: the integrator's seal signs for this taxpayer."""

    kind = "delegated"


SealSpec = Pkcs12Seal | Pkcs11Seal | DelegatedSeal


@dataclass(frozen=True, slots=True)
class SealRecord:
    """One row of ``seals``."""

    id: int
    tenant_id: int
    spec: SealSpec
    certificate_pem: str | None
    not_before: dt.datetime | None
    not_after: dt.datetime | None
    active: bool
    created_at: dt.datetime


def set_seal(
    conn: Connection,
    caller: Caller,
    spec: SealSpec,
    *,
    certificate: x509.Certificate | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> SealRecord:
    """Make ``spec`` the taxpayer's active seal (the previous one is deactivated); audited.

    ``certificate`` (the seal's, when known — e.g. checked with :meth:`SealResolver.check`)
    is stored for display and expiry warnings.
    """
    caller.require(Permission.MANAGE)
    scope = caller.scope(conn)
    now = clock.now()
    scope.execute(scope.update(seals).where(seals.c.active.is_(True)).values(active=False))
    values: dict[str, Any] = {
        "kind": spec.kind,
        "config": _config_of(spec),
        "active": True,
        "created_at": now,
    }
    if certificate is not None:
        values["certificate_pem"] = certificate.public_bytes(serialization.Encoding.PEM).decode()
        values["not_before"] = certificate.not_valid_before_utc
        values["not_after"] = certificate.not_valid_after_utc
    seal_id = scope.execute(scope.insert(seals).values(values).returning(seals.c.id)).scalar_one()
    audit.record(conn, caller.actor, "seal.set", tenant_id=caller.tenant_id,
                 object_type="seal", object_id=seal_id,
                 details={"kind": spec.kind, **_config_of(spec)}, clock=clock)
    return _record(scope.get(seals, seal_id))


def current_seal(conn: Connection, caller: Caller) -> SealRecord | None:
    """The taxpayer's active seal, or None."""
    caller.require(Permission.READ)
    scope = caller.scope(conn)
    row = scope.execute(scope.select(seals).where(seals.c.active.is_(True))).first()
    return None if row is None else _record(row)


def source_of(spec: Pkcs12Seal | Pkcs11Seal, settings: SealSettings) -> Pkcs12Source | Pkcs11Source:
    """The signing key source of ``spec``, its secret resolved from ``settings.secrets``."""
    if isinstance(spec, Pkcs12Seal):
        return Pkcs12Source(spec.path, settings.secrets.resolve(spec.password_ref))
    return Pkcs11Source(
        module=spec.module,
        token_label=spec.token_label,
        pin=settings.secrets.resolve(spec.pin_ref),
        key_label=spec.key_label,
        key_id=bytes.fromhex(spec.key_id) if spec.key_id else None,
        certificate=spec.certificate,
    )


def _config_of(spec: SealSpec) -> dict[str, Any]:
    if isinstance(spec, Pkcs12Seal):
        return {"path": str(spec.path), "password_ref": spec.password_ref}
    if isinstance(spec, Pkcs11Seal):
        return {
            "module": str(spec.module), "token_label": spec.token_label, "pin_ref": spec.pin_ref,
            "key_label": spec.key_label, "key_id": spec.key_id,
            "certificate": None if spec.certificate is None else str(spec.certificate),
        }
    return {}


def _spec_of(kind: str, config: dict[str, Any]) -> SealSpec:
    if kind == "pkcs12":
        return Pkcs12Seal(Path(config["path"]), config["password_ref"])
    if kind == "pkcs11":
        cert = config.get("certificate")
        return Pkcs11Seal(
            module=Path(config["module"]), token_label=config["token_label"],
            pin_ref=config["pin_ref"], key_label=config.get("key_label"),
            key_id=config.get("key_id"), certificate=Path(cert) if cert else None,
        )
    return DelegatedSeal()


def _record(row: Any) -> SealRecord:
    return SealRecord(
        id=row.id, tenant_id=row.tenant_id, spec=_spec_of(row.kind, row.config),
        certificate_pem=row.certificate_pem, not_before=row.not_before,
        not_after=row.not_after, active=row.active, created_at=row.created_at,
    )


class SealResolver:
    """``seal_for(vkn)`` over the ``seals`` table; see the module docstring. Thread-safe."""

    def __init__(self, db: Database, settings: SealSettings, *, integrator_vkn: str,
                 clock: Clock = SYSTEM_CLOCK, trust: TrustStore | None = None) -> None:
        self._db = db
        self._settings = settings
        self._integrator_vkn = integrator_vkn
        self._clock = clock
        self.trust = trust or TrustStore.from_directory(settings.trust_store)
        self._lock = threading.Lock()
        self._registry: SealRegistry | None = None
        self._retired: list[SealRegistry] = []
        self._broken: dict[str, ConfigurationError] = {}
        self._fingerprint: tuple[int, int] | None = None
        self._checked_at = float("-inf")

    def seal_for(self, vkn: str, *, now: dt.datetime | None = None) -> Seal:
        """The seal that signs for ``vkn`` (the integrator's own VKN included).

        Raises :class:`~entegrator.signing.SealConfigurationError` when the taxpayer has no
        usable seal row, :class:`~entegrator.signing.SealError` when the certificate may not
        be used at ``now`` (default: the clock's now).
        """
        registry = self._current()
        broken = self._broken.get(vkn)
        if broken is not None:
            raise SealConfigurationError(f"{vkn} mührü kullanılamıyor: {broken}") from broken
        return registry.seal_for(vkn, now=now or self._clock.now())

    def refresh(self) -> None:
        """Re-read the table now (call after changing seals in this process)."""
        with self._lock:
            self._checked_at = float("-inf")

    def check(self, vkn: str, spec: SealSpec) -> x509.Certificate:
        """Open ``spec`` as ``vkn``'s seal and check it (VKN, validity, chain); return its cert.

        Used before :func:`set_seal`, so a wrong path, PIN or certificate is refused at once.
        """
        taxpayer = (TaxpayerSeal(vkn, delegated=True) if isinstance(spec, DelegatedSeal)
                    else TaxpayerSeal(vkn, source=source_of(spec, self._settings)))
        config = SigningConfig(integrator_vkn=self._integrator_vkn,
                               trust_store=self._settings.trust_store,
                               integrator_seal=self._settings.integrator_seal,
                               taxpayers=(taxpayer,))
        registry = SealRegistry(config, self.trust)
        try:
            return registry.seal_for(vkn, now=self._clock.now()).certificate
        finally:
            registry.close()

    def close(self) -> None:
        """Close every registry (and its token sessions) this resolver opened."""
        with self._lock:
            for registry in [*self._retired, *([self._registry] if self._registry else [])]:
                registry.close()
            self._retired.clear()
            self._registry = None
            self._fingerprint = None

    def _current(self) -> SealRegistry:
        with self._lock:
            due = time.monotonic() - self._checked_at >= self._settings.refresh_interval
            if self._registry is not None and not due:
                return self._registry
            with self._db.transaction(read_only=True) as conn:
                fingerprint = _fingerprint(conn)
                registry = self._registry
                if registry is None or fingerprint != self._fingerprint:
                    rows = conn.execute(all_tenants(
                        select(taxpayers.c.vkn_tckn, seals.c.kind, seals.c.config)
                        .select_from(seals.join(taxpayers, taxpayers.c.id == seals.c.tenant_id))
                        .where(seals.c.active.is_(True))
                    )).all()
                    registry = self._rebuild(rows)
                    self._fingerprint = fingerprint
            self._checked_at = time.monotonic()
            return registry

    def _rebuild(self, rows: list[Any]) -> SealRegistry:
        entries: list[TaxpayerSeal] = []
        broken: dict[str, ConfigurationError] = {}
        for vkn, kind, config in rows:
            spec = _spec_of(kind, config)
            try:
                if isinstance(spec, DelegatedSeal):
                    if self._settings.integrator_seal is None:
                        raise ConfigurationError("entegratör mührü tanımlı değil")
                    entries.append(TaxpayerSeal(vkn, delegated=True))
                else:
                    entries.append(TaxpayerSeal(vkn, source=source_of(spec, self._settings)))
            except ConfigurationError as exc:
                broken[vkn] = exc
        config = SigningConfig(integrator_vkn=self._integrator_vkn,
                               trust_store=self._settings.trust_store,
                               integrator_seal=self._settings.integrator_seal,
                               taxpayers=tuple(entries))
        if self._registry is not None:
            self._retired.append(self._registry)
        self._registry = SealRegistry(config, self.trust)
        self._broken = broken
        return self._registry


def _fingerprint(conn: Connection) -> tuple[int, int]:
    row = conn.execute(all_tenants(
        select(func.coalesce(func.max(seals.c.id), 0),
               func.count().filter(seals.c.active.is_(True)))
    )).one()
    return int(row[0]), int(row[1])
