"""Fixtures of the simulator tests: a test PKI, seals, the simulator on loopback with its own
SQLite database, and two stand-in integrators (A hosts taxpayer X, B hosts Y)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from entegrator.signing import Seal, SoftwareSigner, TrustStore, make_seal
from entegrator.signing.devpki import DevPki
from entegrator.simulator import (
    CheckSwitches,
    IntegratorConfig,
    PortalUserConfig,
    ScheduleConfig,
    Simulator,
    SimulatorConfig,
    UserSeed,
    WorkerSettings,
    records,
)
from entegrator.store import Database, StoreConfig
from tests.simulator.harness import IntegratorHarness
from tests.simulator.support import (
    INTEGRATOR_A_VKN,
    INTEGRATOR_B_VKN,
    PORTAL,
    X,
    Y,
)


@pytest.fixture(scope="session")
def pki() -> DevPki:
    """The test PKI that issues every seal of the simulator tests."""
    return DevPki.create("Simülatör Testi")


@pytest.fixture(scope="session")
def seal(pki: DevPki) -> Callable[[str, str], Seal]:
    """``seal(vkn, title)``: a seal for ``vkn`` (cached per VKN)."""
    trust = TrustStore.from_certificates(pki.trust_anchors)
    made: dict[str, Seal] = {}

    def make(vkn: str, title: str = "Test") -> Seal:
        if vkn not in made:
            issued = pki.issue_seal(vkn, title)
            made[vkn] = make_seal(SoftwareSigner(issued.private_key, issued.certificate),
                                  taxpayer_vkn=vkn, trust=trust)
        return made[vkn]

    return make


@dataclass
class SimEnv:
    """A running simulator with its two stand-in integrators."""

    sim: Simulator
    base: str
    a: IntegratorHarness
    b: IntegratorHarness
    db: Database

    def record(self, envelope_id: str) -> records.EnvelopeRecord | None:
        with self.db.transaction(read_only=True) as conn:
            return records.by_envelope_id(conn, envelope_id)

    def codes(self, envelope_id: str) -> list[int]:
        """The status history, consecutive repeats collapsed."""
        with self.db.transaction(read_only=True) as conn:
            record = records.by_envelope_id(conn, envelope_id)
            assert record is not None, envelope_id
            history = [e.code for e in records.envelope_events(conn, record.id)]
        return [c for i, c in enumerate(history) if i == 0 or history[i - 1] != c]

    def wait_status(self, envelope_id: str, *codes: int, timeout: float = 20.0) -> int:
        """Wait until the envelope's status is one of ``codes``; return it."""
        deadline = time.monotonic() + timeout
        status = None
        while time.monotonic() < deadline:
            record = self.record(envelope_id)
            status = record.status if record else None
            if status in codes:
                return status
            time.sleep(0.02)
        raise AssertionError(f"{envelope_id}: status {status}, expected one of {codes}")

    def admin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(method, self.base + path, timeout=30, **kwargs)


def _config(a: IntegratorHarness, b: IntegratorHarness, pki: DevPki, **changes: Any
            ) -> SimulatorConfig:
    config = SimulatorConfig(
        integrators=(IntegratorConfig("a", "Entegratör A", a.vkn, a.url, ("127.0.0.0/8",)),
                     IntegratorConfig("b", "Entegratör B", b.vkn, b.url, ("127.0.0.0/8",))),
        portal_users=(PortalUserConfig(PORTAL.vkn, PORTAL.title, PORTAL.gb, PORTAL.pk),),
        users=(UserSeed(X.vkn, X.title, "a", gb=(X.gb,), pk=(X.pk,)),
               UserSeed(Y.vkn, Y.title, "b", gb=(Y.gb,), pk=(Y.pk,))),
        checks=CheckSwitches(),
        schedule=ScheduleConfig(time_factor=7200.0, poll_interval=1800.0, max_polls=5),
        workers=WorkerSettings(poll_interval=0.05),
        trust_anchors=pki.trust_anchors,
    )
    return replace(config, **changes)


@pytest.fixture
def sim_factory(tmp_path: Path, pki: DevPki) -> Iterator[Callable[..., SimEnv]]:
    """Start the simulator (SQLite in tmp_path) with integrators A and B; stop afterwards."""
    started: list[tuple[Simulator, list[IntegratorHarness], Database]] = []

    def start(*, db_config: StoreConfig | None = None, a_mode: str = "auto",
              b_mode: str = "auto", b_code: int = 1200, **changes: Any) -> SimEnv:
        a = IntegratorHarness("a", INTEGRATOR_A_VKN, mode=a_mode).start()
        b = IntegratorHarness("b", INTEGRATOR_B_VKN, mode=b_mode, answer_code=b_code).start()
        db = Database.from_config(db_config or StoreConfig(url=f"sqlite:///{tmp_path / 'sim.db'}"))
        sim = Simulator(_config(a, b, pki, **changes), db, portal_pki=pki)
        started.append((sim, [a, b], db))
        sim.start()
        base = sim.serve_in_thread()
        a.merkez_url = Simulator.service_url(base, "a")
        b.merkez_url = Simulator.service_url(base, "b")
        return SimEnv(sim, base, a, b, db)

    yield start
    for sim, harnesses, db in started:
        sim.stop()
        for harness in harnesses:
            harness.stop()
        db.dispose()


@pytest.fixture
def env(sim_factory: Callable[..., SimEnv]) -> SimEnv:
    """The simulator with default settings (every check on, GİB time ×7200)."""
    return sim_factory()


@pytest.fixture
def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
