"""Algorithm identifiers of XML-DSig / XAdES and what entegrator accepts of them.

GİB (e-Fatura Paketi Ek-3 §3, schematron ``SignatureMethodCheck``) forbids rsa-sha1 and
recommends SHA-256; its own signed samples use inclusive C14N 1.0 (with comments),
rsa-sha256 and sha256. entegrator *signs* with inclusive C14N 1.0 without comments and
SHA-256 (rsa-sha256 or ecdsa-sha256); it *verifies* the wider set other tools produce:
inclusive/exclusive C14N 1.0 and C14N 1.1 with or without comments, RSA and ECDSA with
SHA-256/384/512. Every SHA-1 based method is refused.

>>> digest_hash(SHA512).name
'sha512'
>>> digest_hash(SHA1) is None
True
"""

from __future__ import annotations

from typing import Final

from cryptography.hazmat.primitives import hashes

__all__ = [
    "C14N",
    "C14N11",
    "C14N11_COMMENTS",
    "C14N_COMMENTS",
    "CANONICALIZATIONS",
    "DIGESTS",
    "ECDSA_SHA256",
    "ECDSA_SHA384",
    "ECDSA_SHA512",
    "ENVELOPED",
    "EXC_C14N",
    "EXC_C14N_COMMENTS",
    "RSA_SHA1",
    "RSA_SHA256",
    "RSA_SHA384",
    "RSA_SHA512",
    "SHA1",
    "SHA256",
    "SHA384",
    "SHA512",
    "SIGNATURE_METHODS",
    "SIGNED_PROPERTIES_TYPE",
    "XPATH",
    "digest_hash",
]

# Canonicalization methods (W3C).
C14N: Final = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_COMMENTS: Final = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
C14N11: Final = "http://www.w3.org/2006/12/xml-c14n11"
C14N11_COMMENTS: Final = "http://www.w3.org/2006/12/xml-c14n11#WithComments"
EXC_C14N: Final = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_COMMENTS: Final = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"

# Transforms.
ENVELOPED: Final = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
XPATH: Final = "http://www.w3.org/TR/1999/REC-xpath-19991116"

# Digest methods.
SHA1: Final = "http://www.w3.org/2000/09/xmldsig#sha1"
SHA256: Final = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA384: Final = "http://www.w3.org/2001/04/xmldsig-more#sha384"
SHA512: Final = "http://www.w3.org/2001/04/xmlenc#sha512"

# Signature methods.
RSA_SHA1: Final = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
RSA_SHA256: Final = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA384: Final = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
RSA_SHA512: Final = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
ECDSA_SHA256: Final = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
ECDSA_SHA384: Final = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
ECDSA_SHA512: Final = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"

#: ``ds:Reference/@Type`` of the reference to ``xades:SignedProperties`` (XAdES 1.3.2 §6.3.1).
SIGNED_PROPERTIES_TYPE: Final = "http://uri.etsi.org/01903#SignedProperties"

#: Digest methods accepted in references (SHA-1 is refused).
DIGESTS: Final[dict[str, type[hashes.HashAlgorithm]]] = {
    SHA256: hashes.SHA256,
    SHA384: hashes.SHA384,
    SHA512: hashes.SHA512,
}

#: Signature methods accepted on verification: URI -> (key type, hash).
SIGNATURE_METHODS: Final[dict[str, tuple[str, type[hashes.HashAlgorithm]]]] = {
    RSA_SHA256: ("rsa", hashes.SHA256),
    RSA_SHA384: ("rsa", hashes.SHA384),
    RSA_SHA512: ("rsa", hashes.SHA512),
    ECDSA_SHA256: ("ec", hashes.SHA256),
    ECDSA_SHA384: ("ec", hashes.SHA384),
    ECDSA_SHA512: ("ec", hashes.SHA512),
}

#: Canonicalization methods accepted for SignedInfo and as reference transforms.
CANONICALIZATIONS: Final = frozenset(
    {C14N, C14N_COMMENTS, C14N11, C14N11_COMMENTS, EXC_C14N, EXC_C14N_COMMENTS}
)


def digest_hash(uri: str) -> hashes.HashAlgorithm | None:
    """The hash of an accepted digest method, or ``None`` when it is not accepted."""
    factory = DIGESTS.get(uri)
    return factory() if factory else None
