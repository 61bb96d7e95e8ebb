"""Settings of the outbound pipeline: batch sizes, leases, status polling, automatic resends.

A frozen dataclass built once by the faces (``core.config`` composes it) and passed down.
Defaults follow GİB's limits (100 invoices per envelope, Ek-1) and the integrators'
published polling guidance (integrator-api.md §4.10: no more often than every 4 hours once
a status settles, stop after the 8-day response window).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from entegrator.errors import ConfigurationError
from entegrator.store.jobs import RetryPolicy

__all__ = ["AUTO_RESEND_CODES", "OutboundConfig"]

#: GİB codes after which the same invoices may go again unchanged, in a new envelope: the
#: failure was on Merkez's side or in delivery, not in the documents (Ek-2 §4.1).
AUTO_RESEND_CODES = frozenset({1120, 1190, 1195, 1215})


@dataclass(frozen=True, slots=True)
class OutboundConfig:
    """How the outbound jobs batch, retry and poll.

    ``batch_size``: invoices numbered, signed and packed per prepare transaction (at most
    GİB's 100 per envelope, so one batch is one envelope). ``claim_lease``: seconds a prepare
    run holds its batch; a crashed run's batch is taken over after that. ``poll_*``: the
    first status poll after sending, the growing interval (doubling) up to its maximum, and
    when to stop polling an envelope that never settles. ``auto_resend_*``: which GİB codes
    resend the same invoices automatically, how often at most and after what delay.
    """

    batch_size: int = 100
    claim_lease: float = 120.0
    destination: str = "gib"
    poll_first_delay: float = 60.0
    poll_interval: float = 300.0
    poll_max_interval: float = 4 * 3600.0
    poll_give_up: float = 10 * 24 * 3600.0
    auto_resend_codes: frozenset[int] = AUTO_RESEND_CODES
    max_auto_resends: int = 3
    auto_resend_delay: float = 600.0
    send_retry: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(max_attempts=40, base_delay=5.0, max_delay=900.0)
    )
    prepare_retry: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(max_attempts=20, base_delay=5.0, max_delay=600.0)
    )
    poll_retry: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(max_attempts=40, base_delay=30.0, max_delay=3600.0)
    )

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= 100:
            raise ConfigurationError("batch_size 1 ile 100 arasında olmalı (GİB: zarf başına 100)")
        if self.claim_lease <= 0:
            raise ConfigurationError("claim_lease pozitif olmalı")
        if min(self.poll_first_delay, self.poll_interval, self.auto_resend_delay) < 0:
            raise ConfigurationError("bekleme süreleri negatif olamaz")
        if self.poll_max_interval < self.poll_interval or self.poll_give_up <= 0:
            raise ConfigurationError("poll_max_interval ≥ poll_interval ve poll_give_up > 0 olmalı")
        if self.max_auto_resends < 0:
            raise ConfigurationError("max_auto_resends negatif olamaz")
        forbidden = self.auto_resend_codes & {1163, 1164, 1220, 1300, 1200}
        if forbidden:
            raise ConfigurationError(
                f"Şu kodlarda yeniden gönderim yapılamaz: {sorted(forbidden)} (Ek-2 §4.1)"
            )
