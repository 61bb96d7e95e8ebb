"""Errors raised by the store: tenant scoping, job leases, schema version."""

from __future__ import annotations

from entegrator.errors import EntegratorError, PermissionDenied

__all__ = ["LeaseLost", "SchemaNotCurrent", "StoreError", "TenantScopeViolation"]


class StoreError(EntegratorError):
    """Base class of the store's errors."""


class TenantScopeViolation(StoreError, PermissionDenied):
    """A statement reaches tenant-owned rows without naming its tenant (a programming error)."""


class LeaseLost(StoreError):
    """A job's lease expired and another worker took it over; this run's effects are void."""

    def __init__(self, job_id: int) -> None:
        super().__init__(f"iş {job_id} için kilit süresi doldu; iş başka bir işçiye geçti")
        self.job_id = job_id


class SchemaNotCurrent(StoreError):
    """The database schema is not at the revision this code expects (``entegrator db upgrade``)."""

    def __init__(self, current: str | None, expected: str) -> None:
        super().__init__(
            f"veritabanı şeması güncel değil (şu an {current or 'boş'}, beklenen {expected}); "
            "'entegrator db upgrade' çalıştırın"
        )
        self.current = current
        self.expected = expected
