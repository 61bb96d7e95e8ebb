"""A throw-away test PKI: root CA → seal CA → mali mühür certificates carrying VKNs/TCKNs.

Used by the tests and by ``entegrator demo``; never in production. Keys are generated in
memory on every run (nothing secret is ever committed). The certificates look like KamuSM's
(e-Fatura Paketi samples): the seal CA mirrors "Mali Mühür Elektronik Sertifika Hizmet
Sağlayıcısı", the subject carries the VKN (or TCKN) in ``serialNumber`` (OID 2.5.4.5),
key usage digitalSignature + nonRepudiation and KamuSM's mali-mühür extended key usage.

>>> pki = DevPki.create()
>>> seal = pki.issue_seal("1288331521", "AAA Anonim Şirketi")
>>> seal.certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value
'1288331521'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID, ObjectIdentifier

from entegrator.types import Secret

__all__ = ["MALI_MUHUR_EKU", "DevPki", "IssuedSeal", "KeyType", "PrivateKey"]

#: KamuSM's extended key usage for mali mühür certificates (seen in GİB's signed samples).
MALI_MUHUR_EKU = ObjectIdentifier("2.16.792.1.2.1.1.5.7.50.1")

KeyType = Literal["rsa", "ec"]
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def _new_key(key_type: KeyType) -> PrivateKey:
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str, *, serial: str | None = None, org: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "TR")]
    if org:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


@dataclass(frozen=True, slots=True)
class IssuedSeal:
    """A seal certificate with its private key and the chain up to (excluding) the root."""

    certificate: x509.Certificate
    private_key: PrivateKey
    chain: tuple[x509.Certificate, ...]

    def pkcs12(self, password: Secret, name: str = "mali-muhur") -> bytes:
        """The key, certificate and chain as a PKCS#12 file (AES-256 encrypted)."""
        encryption = serialization.BestAvailableEncryption(password.reveal().encode())
        return pkcs12.serialize_key_and_certificates(
            name.encode(), self.private_key, self.certificate, list(self.chain), encryption
        )

    def private_key_der(self) -> bytes:
        """The private key as unencrypted PKCS#8 DER (for importing into a token)."""
        return self.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


@dataclass(frozen=True, slots=True)
class DevPki:
    """A root CA and a seal CA that issue test seal certificates."""

    root: x509.Certificate
    root_key: PrivateKey
    issuer: x509.Certificate
    issuer_key: PrivateKey

    @classmethod
    def create(cls, name: str = "entegrator Test", *, now: dt.datetime | None = None) -> DevPki:
        """A new root CA (20 years) and seal CA (10 years), valid from a day before ``now``."""
        start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=1)
        root_key = _new_key("rsa")
        root_name = _name(f"{name} Kök ESHS", org=name)
        root = _ca_certificate(
            root_name,
            public_key=root_key.public_key(),
            issuer=root_name,
            issuer_key=root_key,
            start=start,
            days=20 * 365,
            path_length=None,
        )
        issuer_key = _new_key("rsa")
        issuer_name = _name(f"{name} Mali Mühür ESHS - Sürüm 1", org=name)
        issuer = _ca_certificate(
            issuer_name,
            public_key=issuer_key.public_key(),
            issuer=root_name,
            issuer_key=root_key,
            start=start,
            days=10 * 365,
            path_length=0,
        )
        return cls(root=root, root_key=root_key, issuer=issuer, issuer_key=issuer_key)

    @property
    def trust_anchors(self) -> tuple[x509.Certificate, ...]:
        """The certificates a trust store must hold for this PKI's seals to chain."""
        return (self.root, self.issuer)

    def issue_seal(
        self,
        vkn: str,
        name: str,
        *,
        key_type: KeyType = "rsa",
        public_key: PublicKey | None = None,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> IssuedSeal:
        """Issue a seal certificate for ``vkn`` (10-digit VKN or 11-digit TCKN).

        Pass ``public_key`` to certify a key generated elsewhere (in a token); the returned
        private key is then a freshly generated dummy, useless for signing with this cert.
        ``not_before``/``not_after`` default to one day ago / two years ahead; a past
        ``not_after`` gives an expired seal.
        """
        now = dt.datetime.now(dt.UTC)
        key = _new_key(key_type)
        subject = _name(f"{name} Mali Mühür (TEST)", serial=vkn, org=name)
        start = not_before or now - dt.timedelta(days=1)
        end = not_after or now + dt.timedelta(days=730)
        subject_key = public_key or key.public_key()
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.issuer.subject)
            .public_key(subject_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(min(start, end - dt.timedelta(seconds=1)))
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(signing=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([MALI_MUHUR_EKU]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.issuer_key.public_key()),
                critical=False,
            )
        )
        certificate = builder.sign(self.issuer_key, hashes.SHA256())
        return IssuedSeal(certificate=certificate, private_key=key, chain=(self.issuer,))

    def write_trust_directory(self, directory: Path) -> Path:
        """Write the root and seal CA as PEM files into ``directory``; return it."""
        directory.mkdir(parents=True, exist_ok=True)
        for file_name, cert in (("root.pem", self.root), ("seal-ca.pem", self.issuer)):
            (directory / file_name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return directory


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def _ca_certificate(
    subject: x509.Name,
    *,
    public_key: PublicKey,
    issuer: x509.Name,
    issuer_key: PrivateKey,
    start: dt.datetime,
    days: int,
    path_length: int | None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())
