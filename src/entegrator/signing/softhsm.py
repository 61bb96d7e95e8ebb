"""Set up a SoftHSM2 token in a directory of our own: for tests and ``entegrator demo`` only.

SoftHSM2 (Debian ``softhsm2``) finds its token directory through the configuration file
named by ``SOFTHSM2_CONF``. :func:`init_token` writes such a file under ``directory``,
initialises a token with ``softhsm2-util --init-token`` and returns a :class:`SoftHsmToken`
that imports a key + certificate or generates a non-extractable key on the token
(``pkcs11-tool``, OpenSC). The tools run with a minimal environment holding only
``SOFTHSM2_CONF``; this process's own environment is never changed. A process that loads
the module through python-pkcs11 must have ``SOFTHSM2_CONF`` set (see
:meth:`SoftHsmToken.environ`) *before* the library is first initialised.

PINs pass on the tools' command lines, visible to local users: fine for throw-away test
tokens, never for a production HSM.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from entegrator.signing.config import Pkcs11Source
from entegrator.signing.devpki import KeyType
from entegrator.signing.errors import SealConfigurationError
from entegrator.types import Secret

__all__ = ["DEFAULT_MODULE", "SoftHsmToken", "init_token"]

#: Where Debian installs the SoftHSM2 PKCS#11 module.
DEFAULT_MODULE: Final = Path("/usr/lib/softhsm/libsofthsm2.so")
_KEY_TYPES: Final = {"rsa": "rsa:2048", "ec": "EC:prime256v1"}


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/bin:/bin")
    if path is None:
        raise SealConfigurationError(f"{name} bulunamadı (Debian: apt-get install softhsm2 opensc)")
    return path


@dataclass(frozen=True, slots=True)
class SoftHsmToken:
    """An initialised SoftHSM2 token; its files live under ``directory``."""

    directory: Path
    label: str
    pin: Secret
    module: Path = DEFAULT_MODULE

    @property
    def config_file(self) -> Path:
        """The SoftHSM2 configuration file (the value for ``SOFTHSM2_CONF``)."""
        return self.directory / "softhsm2.conf"

    def environ(self) -> dict[str, str]:
        """The environment variables a process needs to see this token."""
        return {"SOFTHSM2_CONF": str(self.config_file)}

    def source(self, key_label: str, *, key_id: bytes | None = None) -> Pkcs11Source:
        """A :class:`Pkcs11Source` for the key ``key_label`` on this token."""
        return Pkcs11Source(
            module=self.module,
            token_label=self.label,
            pin=self.pin,
            key_label=key_label,
            key_id=key_id,
        )

    def _run(self, *args: str) -> bytes:
        command = [_tool("pkcs11-tool"), "--module", str(self.module), "--token-label", self.label]
        result = subprocess.run(
            [*command, *args], env=self.environ(), capture_output=True, check=False, timeout=120
        )
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip()
            raise SealConfigurationError(f"pkcs11-tool başarısız: {message}")
        return result.stdout

    def _login(self) -> tuple[str, ...]:
        return ("--login", "--pin", self.pin.reveal())

    def import_key(
        self, private_key_der: bytes, certificate: x509.Certificate, *, label: str, key_id: bytes
    ) -> None:
        """Import a PKCS#8 DER private key (sensitive on the token) and its certificate."""
        with tempfile.TemporaryDirectory(dir=self.directory) as scratch:
            key_file = Path(scratch) / "key.p8.der"
            key_file.touch(mode=0o600)
            key_file.write_bytes(private_key_der)
            try:
                self._run(
                    *self._login(),
                    "--write-object",
                    str(key_file),
                    "--type",
                    "privkey",
                    "--id",
                    key_id.hex(),
                    "--label",
                    label,
                    "--usage-sign",
                    "--sensitive",
                    "--private",
                )
            finally:
                key_file.unlink()
        self.import_certificate(certificate, label=label, key_id=key_id)

    def import_certificate(
        self, certificate: x509.Certificate, *, label: str, key_id: bytes
    ) -> None:
        """Store ``certificate`` on the token next to the key with the same label/id."""
        with tempfile.TemporaryDirectory(dir=self.directory) as scratch:
            cert_file = Path(scratch) / "cert.der"
            cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.DER))
            self._run(
                *self._login(),
                "--write-object",
                str(cert_file),
                "--type",
                "cert",
                "--id",
                key_id.hex(),
                "--label",
                label,
            )

    def generate_key(
        self, *, label: str, key_id: bytes, key_type: KeyType = "rsa"
    ) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
        """Generate a never-extractable key pair on the token; return its public key."""
        self._run(
            *self._login(),
            "--keypairgen",
            "--key-type",
            _KEY_TYPES[key_type],
            "--id",
            key_id.hex(),
            "--label",
            label,
            "--usage-sign",
        )
        with tempfile.TemporaryDirectory(dir=self.directory) as scratch:
            out = Path(scratch) / "pub.der"
            self._run("--read-object", "--type", "pubkey", "--id", key_id.hex(), "-o", str(out))
            public_key = serialization.load_der_public_key(out.read_bytes())
        if not isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise SealConfigurationError("Belirteçte üretilen anahtar RSA/EC değil")
        return public_key


def init_token(
    directory: Path,
    label: str,
    *,
    pin: Secret,
    so_pin: Secret,
    module: Path = DEFAULT_MODULE,
) -> SoftHsmToken:
    """Create ``directory`` with a SoftHSM2 config and initialise the token ``label`` there."""
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    token = SoftHsmToken(directory=directory, label=label, pin=pin, module=module)
    token.config_file.write_text(
        f"directories.tokendir = {tokens}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = false\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            _tool("softhsm2-util"),
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            so_pin.reveal(),
            "--pin",
            pin.reveal(),
        ],
        env=token.environ(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise SealConfigurationError(f"softhsm2-util --init-token başarısız: {message}")
    return token
