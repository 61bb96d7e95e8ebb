"""Limits for running a document's own XSLT in the sandbox (see :mod:`.embedded`).

A received invoice carries a stylesheet written by someone we do not trust (GİB requires every
e-Fatura to embed its display XSLT, Entegrasyon Kılavuzu §4.3). It runs in a child process with
these limits; the defaults fit GİB's own ~200 KB stylesheets with a wide margin.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SandboxLimits"]


@dataclass(frozen=True, slots=True)
class SandboxLimits:
    """How much an embedded stylesheet may take before it is stopped."""

    #: Wall-clock limit for one transformation, child start-up included.
    timeout_seconds: float = 10.0
    #: Address-space limit of the child process (RLIMIT_AS).
    memory_bytes: int = 1024 * 1024 * 1024
    #: Largest decoded stylesheet accepted.
    max_stylesheet_bytes: int = 4 * 1024 * 1024
    #: Largest HTML the stylesheet may produce.
    max_output_bytes: int = 32 * 1024 * 1024
