"""Seals ready to sign, and the registry that resolves a taxpayer's VKN to its seal.

A :class:`Seal` is a signer whose certificate has been checked *once*, when the seal is
made: it is valid now, it carries the expected VKN/TCKN, and it chains to the trust store.
Per signature only the validity window is re-checked (cheap), so a seal that expires while
the process runs stops signing.

The delegation rule (Özel Entegratörlük Kılavuzu §2.2): a taxpayer that lets its
integrator seal on its behalf gets a seal whose certificate carries the *integrator's* VKN;
``taxpayer_vkn`` stays the taxpayer's, so the signer still refuses a document whose supplier
is anyone else. Otherwise the certificate must carry the taxpayer's own VKN/TCKN.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from cryptography import x509

from entegrator.signing import algorithms
from entegrator.signing.certificates import (
    ChainError,
    TrustStore,
    common_name,
    load_certificates,
    signer_identifier,
    valid_at,
)
from entegrator.signing.config import KeySource, Pkcs11Source, Pkcs12Source, SigningConfig
from entegrator.signing.errors import SealConfigurationError, SealError
from entegrator.signing.keys import Signer, SoftwareSigner
from entegrator.signing.pkcs11 import Pkcs11Signer, TokenSession
from entegrator.signing.xades import DEFAULT_ROLE, SignatureTemplate

__all__ = ["Seal", "SealRegistry", "make_seal"]


@dataclass(frozen=True, slots=True, eq=False)
class Seal:
    """A checked signer for one taxpayer; build it with :func:`make_seal`."""

    taxpayer_vkn: str
    signer_vkn: str
    signer: Signer
    delegated: bool
    valid_from: dt.datetime
    valid_until: dt.datetime
    template: SignatureTemplate
    counter_template: SignatureTemplate

    @property
    def certificate(self) -> x509.Certificate:
        """The seal certificate."""
        return self.signer.certificate

    def check_valid(self, moment: dt.datetime) -> None:
        """Raise :class:`SealError` unless the seal and its chain are valid at ``moment``."""
        if not self.valid_from <= moment <= self.valid_until:
            raise SealError(
                f"Mühür sertifikası ({common_name(self.certificate)}) {moment:%Y-%m-%d %H:%M} "
                f"tarihinde geçerli değil (geçerlilik {self.valid_from:%Y-%m-%d} – "
                f"{self.valid_until:%Y-%m-%d}); hiçbir şey imzalanmadı"
            )


def make_seal(
    signer: Signer,
    *,
    taxpayer_vkn: str,
    trust: TrustStore,
    delegated: bool = False,
    integrator_vkn: str | None = None,
    c14n: str = algorithms.C14N,
    claimed_role: str | None = DEFAULT_ROLE,
    now: dt.datetime | None = None,
) -> Seal:
    """Check ``signer``'s certificate and wrap it as the seal of ``taxpayer_vkn``.

    The certificate must be valid at ``now``, carry ``taxpayer_vkn`` (or, when
    ``delegated``, ``integrator_vkn``) and chain to ``trust``; otherwise :class:`SealError`.
    """
    moment = now or dt.datetime.now(dt.UTC)
    certificate = signer.certificate
    name = common_name(certificate)
    found = signer_identifier(certificate)
    if found is None:
        raise SealError(f"Mühür sertifikasında VKN/TCKN yok (serialNumber 2.5.4.5): {name}")
    if delegated and not integrator_vkn:
        raise SealConfigurationError("Devredilmiş imza için entegratör VKN'si gerekli")
    expected = integrator_vkn if delegated else taxpayer_vkn
    if found != expected:
        whose = "entegratörün" if delegated else "mükellefin"
        raise SealError(
            f"Mühür sertifikası {found} VKN/TCKN'sine ait; {whose} ({expected}) olmalı: {name}"
        )
    if not valid_at(certificate, moment):
        raise SealError(
            f"Mühür sertifikasının süresi geçerli değil "
            f"({certificate.not_valid_before_utc:%Y-%m-%d} – "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}): {name}"
        )
    try:
        chain = trust.chain(certificate, moment, signer.chain)
    except ChainError as exc:
        raise SealError(
            f"Mühür sertifikası güvenilen bir ESHS'ye zincirlenmiyor: {name}: {exc}"
        ) from exc
    return Seal(
        taxpayer_vkn=taxpayer_vkn,
        signer_vkn=found,
        signer=signer,
        delegated=delegated,
        valid_from=max(c.not_valid_before_utc for c in chain),
        valid_until=min(c.not_valid_after_utc for c in chain),
        template=SignatureTemplate(signer, c14n=c14n, claimed_role=claimed_role),
        counter_template=SignatureTemplate(
            signer, c14n=c14n, claimed_role=claimed_role, counter=True
        ),
    )


class SealRegistry:
    """Resolves a VKN/TCKN to its :class:`Seal` (``seal_for``), opening keys lazily.

    One registry per process: it owns the signers it opened and one PKCS#11 session per
    token. Thread-safe. ``close()`` releases every session.
    """

    def __init__(self, config: SigningConfig, trust: TrustStore) -> None:
        self._config = config
        self._trust = trust
        self._lock = threading.Lock()
        self._signers: dict[KeySource, Signer] = {}
        self._sessions: dict[tuple[str, str], TokenSession] = {}
        self._seals: dict[str, Seal] = {}
        self._taxpayers = {t.vkn: t for t in config.taxpayers}

    @classmethod
    def from_config(cls, config: SigningConfig) -> SealRegistry:
        """A registry whose trust store is read from ``config.trust_store``."""
        return cls(config, TrustStore.from_directory(config.trust_store))

    @property
    def trust(self) -> TrustStore:
        """The trust store seals are checked against."""
        return self._trust

    def seal_for(self, vkn: str, *, now: dt.datetime | None = None) -> Seal:
        """The seal that signs documents of the taxpayer ``vkn``.

        Raises :class:`SealConfigurationError` for an unknown VKN, :class:`SealError` when the
        certificate may not be used, :class:`TokenError` when the token fails.
        """
        moment = now or dt.datetime.now(dt.UTC)
        with self._lock:
            seal = self._seals.get(vkn)
            if seal is not None and seal.valid_from <= moment <= seal.valid_until:
                return seal
            source, delegated = self._source_for(vkn)
            seal = make_seal(
                self._signer(source),
                taxpayer_vkn=vkn,
                trust=self._trust,
                delegated=delegated,
                integrator_vkn=self._config.integrator_vkn,
                c14n=self._config.c14n,
                claimed_role=self._config.claimed_role,
                now=moment,
            )
            self._seals[vkn] = seal
            return seal

    def close(self) -> None:
        """Close every signer and PKCS#11 session the registry opened."""
        with self._lock:
            for signer in self._signers.values():
                signer.close()
            for session in self._sessions.values():
                session.close()
            self._signers.clear()
            self._sessions.clear()
            self._seals.clear()

    def _source_for(self, vkn: str) -> tuple[KeySource, bool]:
        taxpayer = self._taxpayers.get(vkn)
        if taxpayer is not None and taxpayer.source is not None:
            return taxpayer.source, False
        integrator = self._config.integrator_seal
        if taxpayer is not None and integrator is not None:
            return integrator, True
        if vkn == self._config.integrator_vkn and integrator is not None:
            return integrator, False
        raise SealConfigurationError(f"{vkn} için mali mühür tanımlı değil")

    def _signer(self, source: KeySource) -> Signer:
        signer = self._signers.get(source)
        if signer is None:
            signer = self._signers[source] = self._open(source)
        return signer

    def _open(self, source: KeySource) -> Signer:
        if isinstance(source, Pkcs12Source):
            return SoftwareSigner.from_pkcs12(source.path, source.password)
        return self._open_pkcs11(source)

    def _open_pkcs11(self, source: Pkcs11Source) -> Signer:
        key = (str(source.module), source.token_label)
        session = self._sessions.get(key)
        if session is None:
            session = self._sessions[key] = TokenSession(
                source.module, source.token_label, source.pin
            )
        certificate = None
        if source.certificate is not None:
            try:
                certificate = load_certificates(source.certificate.read_bytes())[0]
            except (OSError, ValueError) as exc:
                raise SealConfigurationError(
                    f"Mühür sertifikası okunamadı: {source.certificate}: {exc}"
                ) from exc
        return Pkcs11Signer(
            session, key_label=source.key_label, key_id=source.key_id, certificate=certificate
        )
