"""Sign GİB documents with a seal: Invoice, ApplicationResponse, HR-XML user-account messages.

``sign_element`` works on a parsed tree in place (the pipeline never re-parses);
``sign_bytes`` parses safely, signs and serialises. Before anything is changed the seal's
validity is checked and the document must belong to the seal's taxpayer: its supplier
(invoice), sender party (application response) or ``oa:Sender/oa:LogicalID`` (user-account
message) must be ``seal.taxpayer_vkn``, and a ``cac:Signature/cbc:ID`` must name either the
certificate's VKN/TCKN or — for delegated signing — the taxpayer. If anything fails, the
document is left exactly as it was.

``countersign_element`` adds a customer's counter-signature ("seri imza") to an integrator-
signed user-account message (gib-protocol §2.4); the customer must be a ``UserAccount/UserID``.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from entegrator.errors import DocumentError
from entegrator.signing import document
from entegrator.signing.document import DocumentKind
from entegrator.signing.errors import SealError
from entegrator.signing.seal import Seal
from entegrator.ubl.ns import ds
from entegrator.ubl.xml import parse_tree

__all__ = ["countersign_bytes", "countersign_element", "sign_bytes", "sign_element"]

COUNTER_SIGNATURE_ID = "CounterSignature"


def _check_document(root: etree._Element, kind: DocumentKind, seal: Seal) -> None:
    suppliers = document.supplier_identifiers(root, kind)
    if seal.taxpayer_vkn not in suppliers:
        shown = ", ".join(suppliers) or "yok"
        raise SealError(
            f"Belgenin tedarikçisi/göndericisi ({shown}) bu mührün mükellefi "
            f"({seal.taxpayer_vkn}) değil; imzalanmadı"
        )
    if kind.is_ubl:
        declared = document.declared_signer(root)
        allowed = {seal.signer_vkn, seal.taxpayer_vkn} if seal.delegated else {seal.signer_vkn}
        if declared is not None and declared not in allowed:
            raise SealError(
                f"cac:Signature/cbc:ID {declared} diyor ama mühür {seal.signer_vkn} VKN/TCKN'sine"
                " ait; imzalanmadı"
            )


def sign_element(
    root: etree._Element, seal: Seal, *, signing_time: dt.datetime | None = None
) -> etree._Element:
    """Sign the document whose root element is ``root`` in place and return ``root``.

    Any placeholder in the first ``ext:ExtensionContent`` (or the content of ``oa:Signature``)
    is replaced by the ``ds:Signature``. ``signing_time`` defaults to now.
    """
    if root.getparent() is not None:
        raise DocumentError("İmzalanacak eleman belgenin kökü olmalı")
    moment = signing_time or dt.datetime.now(dt.UTC)
    seal.check_valid(moment)
    kind = document.document_kind(root)
    _check_document(root, kind, seal)
    signature_id = document.signature_id(root, kind)
    container = document.prepare_container(root, kind)
    try:
        seal.template.sign_enveloped(
            root, container.element, signature_id=signature_id, signing_time=moment
        )
    except BaseException:
        container.restore()
        raise
    return root


def sign_bytes(data: bytes, seal: Seal, *, signing_time: dt.datetime | None = None) -> bytes:
    """Parse ``data`` safely, sign it with ``seal`` and return the signed UTF-8 document."""
    tree = parse_tree(data)
    sign_element(tree.getroot(), seal, signing_time=signing_time)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def countersign_element(
    root: etree._Element, seal: Seal, *, signing_time: dt.datetime | None = None
) -> etree._Element:
    """Add ``seal``'s counter-signature to the signed user-account message ``root``."""
    moment = signing_time or dt.datetime.now(dt.UTC)
    seal.check_valid(moment)
    kind = document.document_kind(root)
    if kind is not DocumentKind.USER_ACCOUNT:
        raise DocumentError("Karşı imza yalnızca HR-XML kullanıcı mesajlarına atılır")
    customers = document.counter_signers(root)
    if seal.taxpayer_vkn not in customers:
        raise SealError(
            f"Karşı imzayı atan {seal.taxpayer_vkn} mesajdaki kullanıcılardan değil "
            f"({', '.join(customers) or 'yok'}); imzalanmadı"
        )
    signatures = document.find_signature(root, kind)
    if len(signatures) != 1:
        raise DocumentError("Karşı imza için mesajda tek bir entegratör imzası olmalı")
    if document.find_counter_signature(signatures[0]):
        raise DocumentError("Mesajda zaten bir karşı imza var")
    value = signatures[0].find(ds("SignatureValue"))
    if value is None or not value.get("Id"):
        raise DocumentError("Ana imzanın ds:SignatureValue elemanında Id yok")
    holder = document.counter_signature_holder(signatures[0])
    try:
        seal.counter_template.sign_counter(
            value, holder.element, signature_id=COUNTER_SIGNATURE_ID, signing_time=moment
        )
    except BaseException:
        holder.restore()
        raise
    return root


def countersign_bytes(data: bytes, seal: Seal, *, signing_time: dt.datetime | None = None) -> bytes:
    """Parse ``data`` safely, counter-sign it and return the UTF-8 document."""
    tree = parse_tree(data)
    countersign_element(tree.getroot(), seal, signing_time=signing_time)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
