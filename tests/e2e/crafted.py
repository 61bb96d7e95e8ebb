"""Envelopes made by hand, around A's own pipeline: documents of A's taxpayer (X) sealed with
its real seal, broken on purpose, and a transport that tampers with the SOAP request.

These reach Merkez or integrator B through :class:`entegrator.gib.GibClient` exactly as A's
pipeline would send them, but carry what A's own validation would never let out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import BinaryIO

from lxml import etree

from entegrator.envelope import BuiltEnvelope, Party
from entegrator.gib import Reply, Transport
from entegrator.signing import Seal, sign_element
from entegrator.ubl import ns
from tests.core.support import CUSTOMER, SUPPLIER
from tests.e2e.world import taxpayer
from tests.simulator.support import invoice, sender_envelope

__all__ = [
    "Tampering",
    "X",
    "Y",
    "envelope",
    "not_in_the_xsd",
    "sealed_invoice",
    "tampered_item",
    "unknown_profile",
]

X = taxpayer(SUPPLIER)
Y = taxpayer(CUSTOMER)

Mutation = Callable[[etree._Element], None]


def sealed_invoice(seal: Seal, *, profile: str = "TEMELFATURA", before: Mutation | None = None,
                   after: Mutation | None = None) -> etree._Element:
    """A TEMELFATURA from X to Y: changed by ``before``, sealed, then changed by ``after``."""
    root = invoice(X, Y, None, profile=profile)
    if before is not None:
        before(root)
    signed = sign_element(root, seal)
    if after is not None:
        after(signed)
    return signed


def envelope(documents: Sequence[etree._Element], *, sender: Party | None = None,
             receiver: Party | None = None) -> BuiltEnvelope:
    """A SENDERENVELOPE from X's GB to Y's PK (or the given parties)."""
    return sender_envelope(X, Y, documents, sender=sender, receiver=receiver)


def not_in_the_xsd(root: etree._Element) -> None:
    """Add an element GİB's XSD does not know (→ 1160)."""
    version = root.find(ns.cbc("UBLVersionID"))
    assert version is not None
    extra = etree.Element(ns.cbc("TanimsizAlan"))
    extra.text = "şemada yok"
    version.addnext(extra)


def unknown_profile(root: etree._Element) -> None:
    """A ProfileID outside GİB's code list: valid for the XSD, refused by the schematron."""
    profile = root.find(ns.cbc("ProfileID"))
    assert profile is not None
    profile.text = "OLMAYANSENARYO"


def tampered_item(root: etree._Element) -> None:
    """Rename a sold item after sealing (→ the signature no longer verifies)."""
    name = root.find(f"{ns.cac('InvoiceLine')}/{ns.cac('Item')}/{ns.cbc('Name')}")
    assert name is not None
    name.text = f"{name.text} (mühürden sonra değişti)"


class Tampering:
    """A transport that replaces one byte string of each request before sending it."""

    def __init__(self, inner: Transport, old: bytes, new: bytes) -> None:
        self.inner, self.old, self.new = inner, old, new

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        assert self.old in body, "the request does not carry what should be tampered with"
        return self.inner.post(url, body.replace(self.old, self.new, 1), headers)

    def download(self, url: str, sink: BinaryIO, *, max_bytes: int) -> Reply:
        return self.inner.download(url, sink, max_bytes=max_bytes)
