"""simulator — a GİB central unit (Merkez) simulator: its own process and its own database.

Keeps the registered-user list (changed by USERENVELOPEs, the admin API and the CLI;
downloadable in GİB's formats), accepts envelopes over GİB's EFatura web service, checks them
as Merkez does and answers with GİB's status codes in GİB's order, delivers them to the
receiver's integrator (1210 retries → 1215, 1220 polling), forwards receivers' system
responses, plays GİB portal users for the test plan, and injects faults on request. GİB
time can run faster than real time for tests. Design: docs/decisions/simulator-design.md.

Rule: beside the faces; uses store, gib, envelope, signing, validation, ubl — never core,
api, portal, mail or cli. Its tables live in a MetaData of their own.
"""

from __future__ import annotations

from entegrator.simulator.app import Simulator
from entegrator.simulator.config import (
    GIB_OWNER,
    PORTAL_OWNER,
    CheckSwitches,
    IntegratorConfig,
    PortalUserConfig,
    ScheduleConfig,
    SimulatorConfig,
    UserSeed,
    WorkerSettings,
    config_from_mapping,
    load_config,
)
from entegrator.simulator.downloads import LIST_TIME_HEADER
from entegrator.simulator.errors import (
    AliasConflict,
    SimulatorError,
    UnknownIntegrator,
    UnknownPortalUser,
)
from entegrator.simulator.faults import FaultKind, FaultPlan, FaultRule
from entegrator.simulator.routing import BOUND_PATH, SHARED_PATH, integrator_path
from entegrator.simulator.tables import create_schema

__all__ = [
    "BOUND_PATH",
    "GIB_OWNER",
    "LIST_TIME_HEADER",
    "PORTAL_OWNER",
    "SHARED_PATH",
    "AliasConflict",
    "CheckSwitches",
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "IntegratorConfig",
    "PortalUserConfig",
    "ScheduleConfig",
    "Simulator",
    "SimulatorConfig",
    "SimulatorError",
    "UnknownIntegrator",
    "UnknownPortalUser",
    "UserSeed",
    "WorkerSettings",
    "config_from_mapping",
    "create_schema",
    "integrator_path",
    "load_config",
]
