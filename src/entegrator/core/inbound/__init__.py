"""inbound — what GİB Merkez delivers to the integrator, and our answers to it.

The integrator is a posta kutusu (PK) for its taxpayers' incoming invoices and a gönderici
birim (GB) for the KABUL/RED answers and system responses to their outgoing ones
(Entegrasyon Kılavuzu v1.10 §3; Test Planı §5.2, §6, §7). Flow:

* :class:`Receiver` — the :class:`entegrator.gib.ports.DocumentReceiver` that
  :func:`entegrator.gib.efatura_routes` serves: stores each envelope durably with its
  ``inbound.process`` job before the SOAP answer; answers Merkez's ``getApplicationResponse``
  polls with our system response.
* ``inbound.process`` (:func:`process_envelope`) — read and check (:mod:`.examine`), route
  (:mod:`.mailbox` invoices, :mod:`.postbox` KABUL/RED, :mod:`.system` system responses),
  answer 1200 or the first failure's code (:mod:`.answer`), all in one transaction.

Rule: nothing of an envelope that failed any check reaches a mailbox (Ek-2 §1). Decisions:
docs/decisions/core-inbound.md. Names load on first use (``responses`` and ``inbound`` import
each other's modules).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from entegrator.core.inbound.process import process_envelope, register
    from entegrator.core.inbound.receiver import PROCESS_JOB, Receiver
    from entegrator.core.inbound.settings import InboundSettings

__all__ = ["PROCESS_JOB", "InboundSettings", "Receiver", "process_envelope", "register"]

_HOMES = {
    "PROCESS_JOB": "receiver",
    "Receiver": "receiver",
    "InboundSettings": "settings",
    "process_envelope": "process",
    "register": "process",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
