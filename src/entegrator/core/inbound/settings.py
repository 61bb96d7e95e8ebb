"""Settings of the receiving side: who may seal for others, when to warn of response deadlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from entegrator.errors import ConfigurationError
from entegrator.ubl.identifiers import party

__all__ = ["InboundSettings"]


@dataclass(frozen=True, slots=True)
class InboundSettings:
    """How received envelopes are checked and how response deadlines are watched.

    ``authorised_delegates``: VKNs of integrators allowed to seal on behalf of their
    customers (Özel Entegrasyon Kılavuzu §2.2; GİB publishes the list of authorised
    integrators). A received document sealed by anyone else than its supplier is refused
    with 1176. ``deadline_notice``: how long before an 8-day response window closes the
    "deadline near" event fires.
    """

    authorised_delegates: frozenset[str] = field(default_factory=frozenset)
    deadline_notice: timedelta = timedelta(days=1)

    def __post_init__(self) -> None:
        for vkn in self.authorised_delegates:
            party.validate(vkn, checksum=False)
        if self.deadline_notice < timedelta(0):
            raise ConfigurationError("inbound.deadline_notice negatif olamaz")
