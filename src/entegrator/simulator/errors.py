"""Errors of the GİB simulator.

Problems an envelope has are not errors here: Merkez reports them as status codes (1110…1183)
in system responses. These classes cover the simulator's own inputs — its configuration, the
admin API and CLI (unknown integrator or portal user, a user-list change that breaks GİB's
rule that each (VKN, alias) pair lives at exactly one integrator).
"""

from __future__ import annotations

from entegrator.errors import EntegratorError, NotFound

__all__ = ["AliasConflict", "SimulatorError", "UnknownIntegrator", "UnknownPortalUser"]


class SimulatorError(EntegratorError):
    """Base class of the simulator's errors."""


class UnknownIntegrator(SimulatorError, NotFound):
    """No integrator with this id is registered."""


class UnknownPortalUser(SimulatorError, NotFound):
    """No GİB portal user (a taxpayer hosted by the simulator) with this VKN/TCKN."""


class AliasConflict(SimulatorError):
    """The alias is open at another integrator, or the change contradicts the user list."""
