"""core.outbound — the outgoing invoice pipeline: accept, number, sign, pack, send, follow.

Faces call :func:`submit` / :func:`submit_many` (one invoice, or an ERP batch, as a model or
UBL-TR XML), the draft functions, and :func:`resend`. Everything after acceptance runs in
durable jobs (:func:`register`): ``outbound.prepare`` numbers (gapless, per series and year),
signs, archives and packs; ``outbound.send`` delivers any OUT envelope to Merkez;
``outbound.poll`` follows its status; ``outbound.resend`` resends what GİB's codes allow.
Inbound hands system responses for our envelopes to :func:`apply_system_response`. Each state
change commits together with its history, its archive writes and the jobs it causes, so a
crash anywhere loses and doubles nothing. Design notes: ``docs/decisions/core-outbound.md``.
"""

from __future__ import annotations

from entegrator.core.outbound.config import OutboundConfig
from entegrator.core.outbound.drafts import cancel_draft, send_draft, update_draft
from entegrator.core.outbound.jobs import register
from entegrator.core.outbound.resend import resend
from entegrator.core.outbound.status import apply_system_response
from entegrator.core.outbound.submit import Request, SubmitResult, submit, submit_many

__all__ = [
    "OutboundConfig",
    "Request",
    "SubmitResult",
    "apply_system_response",
    "cancel_draft",
    "register",
    "resend",
    "send_draft",
    "submit",
    "submit_many",
    "update_draft",
]
