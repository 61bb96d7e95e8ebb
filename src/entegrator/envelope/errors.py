"""Errors of the envelope part: one class, carrying the GİB status code that applies.

GİB reports envelope problems as system-response status codes (Ek-2 §4: 1110 not a zip,
1130 cannot open, 1131 not exactly one file, 1132 not XML, 1133 entry name ≠ envelope id,
1140 documents cannot be parsed out, 1141 no envelope id, 1111 invalid id, 1142 zip name ≠
envelope id, 1143 invalid version, 1150 schematron, 1160 schema) or, synchronously, as
``EFaturaFault`` codes (2000 MD5 mismatch, 2006 invalid file name). :class:`EnvelopeError`
carries that code in ``gib_code`` so the GİB face and the simulator can answer with it;
misuse of the builders (no GİB code) leaves it ``None``.
"""

from __future__ import annotations

from entegrator.errors import DocumentError

__all__ = ["EnvelopeError"]


class EnvelopeError(DocumentError):
    """An envelope, its zip or an embedded document breaks GİB's envelope rules."""

    def __init__(self, message: str, *, gib_code: int | None = None) -> None:
        super().__init__(message, gib_code=gib_code)
