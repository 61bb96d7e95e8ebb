"""Seal configuration: which key signs for which taxpayer (frozen dataclasses, no I/O).

A taxpayer (mükellef, by VKN/TCKN) either has its own mali mühür — a PKCS#12 file or a key
on a PKCS#11 token — or *delegates* signing to the integrator, whose own seal then signs on
its behalf (Özel Entegratörlük Kılavuzu §2.2; gib-protocol §6.1). The integrator's seal
also signs the user-account messages sent to GİB. Faces build these objects once from their
settings (secrets via :func:`secret_from`) and pass them to
:class:`~entegrator.signing.seal.SealRegistry`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from entegrator.signing import algorithms
from entegrator.signing.errors import SealConfigurationError
from entegrator.types import Secret

__all__ = [
    "KeySource",
    "Pkcs11Source",
    "Pkcs12Source",
    "SigningConfig",
    "TaxpayerSeal",
    "secret_from",
]


@dataclass(frozen=True, slots=True)
class Pkcs12Source:
    """A key and certificate in a password-protected PKCS#12 (.p12/.pfx) file."""

    path: Path
    password: Secret


@dataclass(frozen=True, slots=True)
class Pkcs11Source:
    """A key on a PKCS#11 token, found by label and/or id; it never leaves the token.

    ``certificate`` is a PEM/DER file; without it the certificate is read from the token
    (the object with the same label/id).
    """

    module: Path
    token_label: str
    pin: Secret
    key_label: str | None = None
    key_id: bytes | None = None
    certificate: Path | None = None

    def __post_init__(self) -> None:
        if self.key_label is None and self.key_id is None:
            raise SealConfigurationError("PKCS#11 anahtarı için key_label ya da key_id verilmeli")


KeySource = Pkcs12Source | Pkcs11Source


@dataclass(frozen=True, slots=True)
class TaxpayerSeal:
    """How documents of the taxpayer ``vkn`` are sealed: own key, or delegated."""

    vkn: str
    source: KeySource | None = None
    delegated: bool = False

    def __post_init__(self) -> None:
        if self.delegated == (self.source is not None):
            raise SealConfigurationError(
                f"{self.vkn}: mühür için ya kendi anahtarı (source) ya da delegated=True "
                "verilmeli, ikisi birden değil"
            )


@dataclass(frozen=True, slots=True)
class SigningConfig:
    """Seals of one integrator installation.

    ``c14n`` is the SignedInfo canonicalization used when signing (inclusive C14N 1.0 by
    default; exclusive C14N is available); ``claimed_role`` goes into
    ``xades:ClaimedRole``.
    """

    integrator_vkn: str
    trust_store: Path
    integrator_seal: KeySource | None = None
    taxpayers: tuple[TaxpayerSeal, ...] = field(default=())
    c14n: str = algorithms.C14N
    claimed_role: str = "Tedarikçi"

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for taxpayer in self.taxpayers:
            if taxpayer.vkn in seen:
                raise SealConfigurationError(f"{taxpayer.vkn} için iki mühür tanımlı")
            seen.add(taxpayer.vkn)
            if taxpayer.delegated and self.integrator_seal is None:
                raise SealConfigurationError(
                    f"{taxpayer.vkn} imzayı entegratöre devretmiş ama entegratör mührü "
                    "tanımlı değil"
                )
        if self.c14n not in (algorithms.C14N, algorithms.EXC_C14N):
            raise SealConfigurationError(f"İmzalamada desteklenmeyen kanonikleştirme: {self.c14n}")


def secret_from(env: Mapping[str, str], name: str) -> Secret:
    """The secret in ``env[name]``, or in the file named by ``env[name + "_FILE"]``.

    The ``_FILE`` form keeps PINs out of process listings and environment dumps
    (container secrets). Trailing newlines of the file are dropped.
    """
    if name in env:
        return Secret(env[name])
    file_name = env.get(f"{name}_FILE")
    if file_name:
        try:
            return Secret(Path(file_name).read_text(encoding="utf-8").rstrip("\r\n"))
        except OSError as exc:
            raise SealConfigurationError(f"Gizli bilgi dosyası okunamadı: {file_name}") from exc
    raise SealConfigurationError(f"Ortam değişkeni tanımlı değil: {name} (ya da {name}_FILE)")
