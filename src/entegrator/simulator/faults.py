"""Fault injection: make the simulated Merkez misbehave on purpose, for tests.

Rules come from the config file or the admin API and live in memory (a restart keeps only the
configured ones). Kinds:

* ``send_fault`` — Merkez's own ``sendDocument`` answers an EFaturaFault (2002, 2003, 2005,
  2007 …) and stores nothing, to test a client's retries;
* ``drop`` — ``sendDocument`` succeeds but the envelope is never processed (stays at 1000);
* ``delay`` — processing starts ``seconds`` (GİB time, scaled by the time factor) later;
* ``force_code`` — after the checks, the envelope gets ``code`` whatever the checks found;
* ``outage`` — the integrator's endpoint counts as down (deliveries, pushes and polls fail)
  between ``starts_at`` and ``ends_at`` (open ends: from now / until removed).

A rule applies to envelopes matching all its criteria (``integrator`` — the caller, or for an
outage the destination; ``envelope_id``; and, for ``force_code`` only, ``envelope_type``,
``sender_vkn``, ``receiver_vkn``, which are known once the envelope has been read) and to at
most ``count`` envelopes (``None``: until removed).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from entegrator.errors import ConfigurationError
from entegrator.ubl import status_codes

__all__ = ["FaultFacts", "FaultKind", "FaultPlan", "FaultRule"]


class FaultKind(StrEnum):
    """What a fault rule does."""

    SEND_FAULT = "send_fault"
    DROP = "drop"
    DELAY = "delay"
    FORCE_CODE = "force_code"
    OUTAGE = "outage"


_SEND_FAULT_CODES = frozenset({2002, 2003, 2005, 2007})


@dataclass(frozen=True, slots=True)
class FaultRule:
    """One fault-injection rule (see the module docstring)."""

    kind: FaultKind
    count: int | None = None
    integrator: str | None = None
    envelope_id: str | None = None
    envelope_type: str | None = None
    sender_vkn: str | None = None
    receiver_vkn: str | None = None
    code: int | None = None
    seconds: float | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def __post_init__(self) -> None:
        kind = FaultKind(self.kind)
        object.__setattr__(self, "kind", kind)
        if self.count is not None and self.count < 1:
            raise ConfigurationError("hata kuralı: count en az 1 olmalı")
        if kind is FaultKind.SEND_FAULT and self.code not in _SEND_FAULT_CODES:
            raise ConfigurationError(
                f"send_fault kodu {sorted(_SEND_FAULT_CODES)} içinden olmalı: {self.code!r}"
            )
        if kind is FaultKind.FORCE_CODE and not (
            self.code in status_codes.STATUSES and 1100 < self.code < 1200
        ):
            raise ConfigurationError(
                f"force_code için 11xx bir hata durum kodu gerekli (1110…1195): {self.code!r}")
        if kind is FaultKind.DELAY and (self.seconds is None or self.seconds < 0):
            raise ConfigurationError("delay kuralı için seconds (≥ 0) gerekli")
        if kind is FaultKind.OUTAGE and not self.integrator:
            raise ConfigurationError("outage kuralı için integrator gerekli")
        for moment in (self.starts_at, self.ends_at):
            if moment is not None and moment.tzinfo is None:
                raise ConfigurationError("hata kuralı zamanları saat dilimi içermeli")
        if self.envelope_id is not None:
            object.__setattr__(self, "envelope_id", self.envelope_id.strip().lower())

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> FaultRule:
        """Build a rule from JSON/TOML data; unknown keys are refused."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigurationError(f"hata kuralında bilinmeyen alan(lar): {', '.join(unknown)}")
        values = dict(data)
        for key in ("starts_at", "ends_at"):
            if isinstance(values.get(key), str):
                try:
                    values[key] = datetime.fromisoformat(values[key])
                except ValueError as exc:
                    raise ConfigurationError(f"hata kuralı {key} okunamadı") from exc
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"hata kuralı geçersiz: {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (unset fields left out)."""
        data: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, StrEnum):
                value = value.value
            data[name] = value
        return data


@dataclass(frozen=True, slots=True)
class FaultFacts:
    """What is known about an envelope when a rule is looked up."""

    integrator: str | None
    envelope_id: str | None = None
    envelope_type: str | None = None
    sender_vkn: str | None = None
    receiver_vkn: str | None = None


def _matches(rule: FaultRule, facts: FaultFacts) -> bool:
    for name in ("integrator", "envelope_id", "envelope_type", "sender_vkn", "receiver_vkn"):
        wanted = getattr(rule, name)
        if wanted is not None and wanted != getattr(facts, name):
            return False
    return True


class FaultPlan:
    """The active rules, thread-safe; ``take`` consumes one use of the first matching rule."""

    def __init__(self, rules: tuple[FaultRule, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._rules: dict[int, FaultRule] = {}
        for rule in rules:
            self.add(rule)

    def add(self, rule: FaultRule) -> int:
        """Activate ``rule``; return its id."""
        with self._lock:
            rule_id = next(self._ids)
            self._rules[rule_id] = rule
            return rule_id

    def remove(self, rule_id: int) -> bool:
        """Deactivate one rule; False when it does not exist."""
        with self._lock:
            return self._rules.pop(rule_id, None) is not None

    def clear(self) -> None:
        """Deactivate every rule."""
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[tuple[int, FaultRule]]:
        """The active rules with their ids (``count`` = remaining uses)."""
        with self._lock:
            return list(self._rules.items())

    def take(self, kind: FaultKind, facts: FaultFacts) -> FaultRule | None:
        """The first active ``kind`` rule matching ``facts``, using up one of its ``count``."""
        with self._lock:
            for rule_id, rule in self._rules.items():
                if rule.kind is not kind or not _matches(rule, facts):
                    continue
                if rule.count is not None:
                    if rule.count <= 1:
                        del self._rules[rule_id]
                    else:
                        self._rules[rule_id] = replace(rule, count=rule.count - 1)
                return rule
        return None

    def outage(self, integrator: str, now: datetime) -> bool:
        """Whether ``integrator``'s endpoint is in an outage window at ``now``."""
        with self._lock:
            return any(
                rule.kind is FaultKind.OUTAGE
                and rule.integrator == integrator
                and (rule.starts_at is None or rule.starts_at <= now)
                and (rule.ends_at is None or now < rule.ends_at)
                for rule in self._rules.values()
            )
