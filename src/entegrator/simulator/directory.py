"""Registered integrators: stored in the simulator's database, cached in memory.

GİB knows each özel entegratör from its "Test/Canlı Tanım Formu": the addresses it calls from
and the URL of its own EFatura service (Entegrasyon Kılavuzu §2). The simulator identifies a
caller by its source address; when several integrators share one (all on 127.0.0.1 in tests)
the caller uses its own service path (docs/decisions/simulator-design.md, "Callers").
Integrators come from the config file (written to the database at start-up), from
``entegrator gib-sim integrators add`` and from the admin API. The cache is refreshed after
every change made through this object, and at most once a second when a lookup misses (to
see changes the CLI made to the database meanwhile).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from datetime import datetime

from sqlalchemy import Connection, delete, select

from entegrator.simulator.config import IntegratorConfig
from entegrator.simulator.errors import UnknownIntegrator
from entegrator.simulator.tables import integrators
from entegrator.store import Database
from entegrator.store.dialect import upsert

__all__ = ["IntegratorDirectory", "delete_integrator", "load_integrators", "save_integrator"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_i = integrators.c


def save_integrator(conn: Connection, integrator: IntegratorConfig, *, now: datetime) -> None:
    """Insert or update an integrator row."""
    upsert(conn, integrators, {
        "id": integrator.id, "name": integrator.name, "vkn": integrator.vkn,
        "endpoint": integrator.endpoint, "networks": list(integrator.networks),
        "created_at": now, "updated_at": now,
    }, key=["id"], update=["name", "vkn", "endpoint", "networks", "updated_at"])


def delete_integrator(conn: Connection, integrator_id: str) -> bool:
    """Remove an integrator row; False when there was none."""
    return conn.execute(delete(integrators).where(_i.id == integrator_id)).rowcount == 1


def load_integrators(conn: Connection) -> list[IntegratorConfig]:
    """Every stored integrator."""
    rows = conn.execute(select(integrators).order_by(_i.id))
    return [IntegratorConfig(id=r.id, name=r.name, vkn=r.vkn, endpoint=r.endpoint,
                             networks=tuple(r.networks)) for r in rows]


def _address(peer: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class IntegratorDirectory:
    """Integrators by id and by caller address. Thread-safe."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._by_id: dict[str, IntegratorConfig] = {}
        self._networks: dict[str, tuple[_Network, ...]] = {}
        self._loaded_at = 0.0
        self.refresh()

    def refresh(self) -> None:
        """Reload from the database."""
        with self._db.transaction(read_only=True) as conn:
            loaded = load_integrators(conn)
        with self._lock:
            self._by_id = {i.id: i for i in loaded}
            self._networks = {i.id: tuple(ipaddress.ip_network(n, strict=False)
                                          for n in i.networks) for i in loaded}
            self._loaded_at = time.monotonic()

    def _refresh_on_miss(self) -> None:
        if time.monotonic() - self._loaded_at >= 1.0:
            self.refresh()

    def get(self, integrator_id: str) -> IntegratorConfig:
        """The integrator ``integrator_id``; :class:`UnknownIntegrator` if none."""
        found = self._by_id.get(integrator_id)
        if found is None:
            self._refresh_on_miss()
            found = self._by_id.get(integrator_id)
        if found is None:
            raise UnknownIntegrator(f"kayıtlı entegratör yok: {integrator_id!r}")
        return found

    def all(self) -> list[IntegratorConfig]:
        """Every integrator, by id."""
        with self._lock:
            return sorted(self._by_id.values(), key=lambda i: i.id)

    def vkns(self) -> frozenset[str]:
        """VKNs of every integrator (they may seal on their customers' behalf)."""
        with self._lock:
            return frozenset(i.vkn for i in self._by_id.values())

    def matching(self, peer: str) -> list[IntegratorConfig]:
        """Integrators whose networks contain the caller address ``peer``."""
        address = _address(peer)
        if address is None:
            return []
        found = self._match(address)
        if not found:
            self._refresh_on_miss()
            found = self._match(address)
        return found

    def _match(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address
               ) -> list[IntegratorConfig]:
        with self._lock:
            return [self._by_id[key] for key, networks in sorted(self._networks.items())
                    if any(address in network for network in networks)]

    def add(self, integrator: IntegratorConfig, *, now: datetime) -> None:
        """Register (or update) an integrator."""
        with self._db.transaction() as conn:
            save_integrator(conn, integrator, now=now)
        self.refresh()

    def remove(self, integrator_id: str) -> bool:
        """Unregister an integrator (its aliases stay, undeliverable)."""
        with self._db.transaction() as conn:
            removed = delete_integrator(conn, integrator_id)
        self.refresh()
        return removed
