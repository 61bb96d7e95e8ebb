"""Signing with a key that never leaves a PKCS#11 token (HSM, smart card, SoftHSM2).

Session model (tech-notes §3): python-pkcs11 initialises a library with
``C_Initialize(NULL)``, i.e. *without* locking, and SoftHSM2 then assumes a single thread;
two threads calling into the library at once — even on different sessions — crash the
process. So every call into one PKCS#11 library is serialised by one per-process lock
(:func:`_library_lock`; the only module-level state here, as process-wide as the library's
own initialisation), and each :class:`TokenSession` keeps one logged-in session per token
and process. Throughput comes from worker *processes*, each with its own ``C_Initialize``.

A session that breaks (token removed, library re-initialised, handle invalid) is re-opened
and the operation retried once. Opening itself retries with a short backoff: SoftHSM2's file
backend makes a token briefly invisible (``NoSuchToken``/``GeneralError``) to a process that
starts while another one is logging in — measured here at about 1 start in 10 with three
processes starting together. After ``fork()`` the child notices the new process id,
re-initialises the library and opens its own session.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from pkcs11 import Attribute, Mechanism, ObjectClass
from pkcs11 import exceptions as p11e

from entegrator.signing.errors import SealConfigurationError, TokenError
from entegrator.signing.keys import signature_method_for
from entegrator.types import Secret

__all__ = ["Pkcs11Signer", "TokenSession"]

T = TypeVar("T")

#: A token can be briefly invisible while another process rewrites its files (SoftHSM2
#: re-reads its token directory on C_Initialize), so opening retries with a short backoff.
_OPEN_ATTEMPTS = 4
_OPEN_BACKOFF = 0.1

_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()

#: Failures that a new session cannot cure: wrong PIN, missing key, refused mechanism.
_PERMANENT = (
    p11e.PinIncorrect,
    p11e.PinInvalid,
    p11e.PinLocked,
    p11e.PinExpired,
    p11e.PinLenRange,
    p11e.NoSuchKey,
    p11e.MultipleObjectsReturned,
    p11e.MechanismInvalid,
    p11e.KeyTypeInconsistent,
    p11e.FunctionNotSupported,
)


def _library_lock(module: str) -> threading.RLock:
    """The per-process lock serialising every call into the PKCS#11 library ``module``."""
    with _LOCKS_GUARD:
        lock = _LOCKS.get(module)
        if lock is None:
            lock = _LOCKS[module] = threading.RLock()
        return lock


class TokenSession:
    """One logged-in session on one token for this process, shared by every key on it."""

    def __init__(self, module: Path, token_label: str, pin: Secret) -> None:
        self._module = str(module)
        self._token_label = token_label
        self._pin = pin
        self._lock = _library_lock(self._module)
        self._session: Any = None
        self._pid = 0
        #: Incremented on every (re)open; object handles from older generations are stale.
        self.generation = 0

    @property
    def module(self) -> Path:
        """The PKCS#11 module (shared library) path."""
        return Path(self._module)

    @property
    def token_label(self) -> str:
        """The label of the token this session is on."""
        return self._token_label

    def run(self, operation: Callable[[Any], T]) -> T:
        """Run ``operation(session)`` under the library lock; re-open and retry once."""
        with self._lock:
            if self._session is None or self._pid != os.getpid():
                self._open(reinitialize=self._pid not in (0, os.getpid()))
            try:
                return operation(self._session)
            except _PERMANENT:
                raise
            except p11e.PKCS11Error:
                self._discard()
                self._open(reinitialize=False)
            try:
                return operation(self._session)
            except _PERMANENT:
                raise
            except p11e.PKCS11Error as exc:
                self._discard()
                raise TokenError(
                    f"PKCS#11 belirteci '{self._token_label}' kullanılamıyor: {exc!r}"
                ) from exc

    def close(self) -> None:
        """Close the session (the library stays loaded for other sessions)."""
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        session, self._session = self._session, None
        if session is not None and self._pid == os.getpid():
            with contextlib.suppress(p11e.PKCS11Error):  # gone already: nothing to release
                session.close()

    def _open(self, *, reinitialize: bool) -> None:
        try:
            library = pkcs11.lib(self._module)
        except (p11e.PKCS11Error, OSError) as exc:
            raise SealConfigurationError(
                f"PKCS#11 modülü yüklenemedi: {self._module}: {exc}"
            ) from exc
        self._session = None
        for attempt in range(_OPEN_ATTEMPTS):
            if reinitialize or attempt:
                time.sleep(_OPEN_BACKOFF * attempt)
                library.reinitialize()
            try:
                token = library.get_token(token_label=self._token_label)
                self._session = token.open(user_pin=self._pin.reveal())
                break
            except (p11e.PinIncorrect, p11e.PinLocked, p11e.PinExpired, p11e.PinInvalid) as exc:
                raise SealConfigurationError(
                    f"PKCS#11 belirteci '{self._token_label}' PIN'i kabul etmedi: {exc!r}"
                ) from exc
            except p11e.PKCS11Error as exc:
                if attempt == _OPEN_ATTEMPTS - 1:
                    raise TokenError(
                        f"PKCS#11 belirteci '{self._token_label}' açılamadı: {exc!r}"
                    ) from exc
        self._pid = os.getpid()
        self.generation += 1


class Pkcs11Signer:
    """A seal whose private key is a non-extractable object on a PKCS#11 token.

    The key is found by label and/or id (CKA_LABEL, CKA_ID); the certificate is read from the
    token (same label/id) unless given. RSA keys sign with CKM_SHA256_RSA_PKCS; EC keys with
    CKM_ECDSA over a SHA-256 digest computed here (the raw ``r || s`` XML-DSig wants).
    """

    def __init__(
        self,
        session: TokenSession,
        *,
        key_label: str | None = None,
        key_id: bytes | None = None,
        certificate: x509.Certificate | None = None,
    ) -> None:
        if key_label is None and key_id is None:
            raise SealConfigurationError(
                "PKCS#11 anahtarı için etiket (label) ya da kimlik (id) gerekli"
            )
        self._session = session
        self._label = key_label
        self._id = key_id
        self._key: Any = None
        self._key_generation = -1
        try:
            self._certificate = certificate or session.run(self._read_certificate)
            self._method = signature_method_for(self._certificate)
            session.run(self._find_key)
        except (p11e.NoSuchKey, p11e.MultipleObjectsReturned) as exc:
            raise SealConfigurationError(
                f"PKCS#11 belirtecinde anahtar/sertifika bulunamadı ya da birden fazla "
                f"({self._describe()}): {exc}"
            ) from exc
        self._is_ec = isinstance(self._certificate.public_key(), ec.EllipticCurvePublicKey)

    def _describe(self) -> str:
        parts = [f"belirteç={self._session.token_label}"]
        if self._label is not None:
            parts.append(f"etiket={self._label}")
        if self._id is not None:
            parts.append(f"id={self._id.hex()}")
        return ", ".join(parts)

    def _template(self, object_class: ObjectClass) -> dict[Attribute, Any]:
        attrs: dict[Attribute, Any] = {Attribute.CLASS: object_class}
        if self._label is not None:
            attrs[Attribute.LABEL] = self._label
        if self._id is not None:
            attrs[Attribute.ID] = self._id
        return attrs

    def _read_certificate(self, session: Any) -> x509.Certificate:
        found = list(session.get_objects(self._template(ObjectClass.CERTIFICATE)))
        if len(found) != 1:
            raise p11e.NoSuchKey(f"{len(found)} certificates match")
        return x509.load_der_x509_certificate(bytes(found[0][Attribute.VALUE]))

    def _find_key(self, session: Any) -> Any:
        if self._key_generation != self._session.generation:
            self._key = session.get_key(
                object_class=ObjectClass.PRIVATE_KEY, label=self._label, id=self._id
            )
            self._key_generation = self._session.generation
        return self._key

    def _sign(self, session: Any, data: bytes) -> bytes:
        key = self._find_key(session)
        if self._is_ec:
            return bytes(key.sign(hashlib.sha256(data).digest(), mechanism=Mechanism.ECDSA))
        return bytes(key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS))

    @property
    def certificate(self) -> x509.Certificate:
        """The seal certificate."""
        return self._certificate

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Tokens carry only the seal certificate here."""
        return ()

    @property
    def signature_method(self) -> str:
        """rsa-sha256 or ecdsa-sha256."""
        return self._method

    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` on the token; the key never leaves it."""
        try:
            return self._session.run(lambda session: self._sign(session, data))
        except p11e.PKCS11Error as exc:
            raise TokenError(f"PKCS#11 imzalama başarısız ({self._describe()}): {exc!r}") from exc

    def close(self) -> None:
        """The session belongs to its owner (the registry); nothing to do per key."""
