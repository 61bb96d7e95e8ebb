"""Signature structure (``TR-SIG-…``) of an invoice or application response.

Cryptographic verification is :mod:`entegrator.signing`'s job; this only checks that the
XAdES signature GİB expects in ``ext:UBLExtensions/…/ext:ExtensionContent`` (Ek-3 §3) can be
verified at all: TR-SIG-001 it has ``ds:SignedInfo``, ``ds:SignatureValue``, an
``ds:X509Certificate``, ``xades:SigningTime`` and ``xades:SigningCertificate``; TR-SIG-002
every same-document reference (``URI="#…"``) points at an element of this document with
that ``Id``/``ID``/``id``. TR-SIG-003 (information) says the document is unsigned, which is
normal for a draft.
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation.findings import Finding
from entegrator.validation.rules._base import RuleContext

__all__ = ["check_signatures"]

_SIGNATURES: Final = "/".join(
    (
        ns.ext("UBLExtensions"),
        ns.ext("UBLExtension"),
        ns.ext("ExtensionContent"),
        ns.ds("Signature"),
    )
)
_REQUIRED: Final = (
    (ns.ds("SignedInfo"), "ds:SignedInfo"),
    (ns.ds("SignatureValue"), "ds:SignatureValue"),
    (
        f"{ns.ds('KeyInfo')}/{ns.ds('X509Data')}/{ns.ds('X509Certificate')}",
        "ds:KeyInfo/ds:X509Data/ds:X509Certificate",
    ),
    (f"{ns.ds('Object')}//{ns.xades('SigningTime')}", "xades:SigningTime"),
    (f"{ns.ds('Object')}//{ns.xades('SigningCertificate')}", "xades:SigningCertificate"),
)
_REFERENCES: Final = f"{ns.ds('SignedInfo')}/{ns.ds('Reference')}"
_WITH_ID = etree.XPath(".//*[@Id = $id or @ID = $id or @id = $id]")


def check_signatures(document: etree._Element, ctx: RuleContext) -> list[Finding]:
    """TR-SIG-001…003 on one invoice or application response."""
    signatures = document.findall(_SIGNATURES)
    if not signatures:
        return [ctx.at("TR-SIG-003", document, "Belge elektronik imza taşımıyor")]
    findings: list[Finding] = []
    for signature in signatures:
        for path, name in _REQUIRED:
            if signature.find(path) is None:
                findings.append(ctx.at("TR-SIG-001", signature, f"İmzada {name} elemanı yok"))
        for reference in signature.iterfind(_REFERENCES):
            uri = reference.get("URI") or ""
            if uri.startswith("#") and not _WITH_ID(document, id=uri[1:]):
                findings.append(
                    ctx.at(
                        "TR-SIG-002",
                        reference,
                        f"İmza referansı {uri} belgede bir Id ile eşleşmiyor",
                        attribute="URI",
                    )
                )
    return findings
