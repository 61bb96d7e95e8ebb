"""Documents and envelopes for the simulator tests: signed invoices, KABUL/RED responses,
HR-XML user accounts, built with entegrator.ubl / envelope / signing and a test PKI."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from entegrator.envelope import (
    GIB,
    AccountHolder,
    BuiltEnvelope,
    EnvelopeHeader,
    EnvelopeType,
    Mailbox,
    Party,
    Role,
    UserAccountRequest,
    UserAction,
    build_envelope,
    build_user_account,
)
from entegrator.signing import Seal, countersign_element, sign_element
from entegrator.simulator.portal import invoice_spec
from entegrator.ubl import build_invoice, load_invoice
from entegrator.ubl.identifiers import ettn, invoice_id
from entegrator.ubl.responses import ResponseParty, new_business_response, to_element
from entegrator.ubl.xml import parse

# Check digits computed with python-stdnum; GİB's own test numbers fail the checksum.
INTEGRATOR_A_VKN = "1111111114"
INTEGRATOR_B_VKN = "2222222224"
PORTAL_VKN = "3333333339"


@dataclass(frozen=True)
class Taxpayer:
    """A taxpayer with one GB and one PK alias."""

    vkn: str
    title: str
    gb: str
    pk: str

    @property
    def sender(self) -> Party:
        return Party(self.gb, self.vkn, self.title)

    @property
    def receiver(self) -> Party:
        return Party(self.pk, self.vkn, self.title)


X = Taxpayer("4540536920", "Anadolu Bilişim A.Ş.", "urn:mail:defaultgb@x.example",
             "urn:mail:defaultpk@x.example")
Y = Taxpayer("9205121120", "Karadeniz Gıda Ltd. Şti.", "urn:mail:defaultgb@y.example",
             "urn:mail:defaultpk@y.example")
PORTAL = Taxpayer(PORTAL_VKN, "Portal Test Kullanıcısı", "urn:mail:defaultgb@portal.example",
                  "urn:mail:defaultpk@portal.example")

_sequence = itertools.count(1)


def now_local() -> dt.datetime:
    """Turkish local time, as envelopes carry it."""
    return dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=3))).replace(
        tzinfo=None, microsecond=0)


def invoice(seller: Taxpayer, buyer: Taxpayer, seal: Seal | None, *, profile: str = "TICARIFATURA",
            invoice_type: str = "SATIS", number: str | None = None, uuid: str | None = None,
            billing_reference: str | None = None,
            lines: list[dict[str, object]] | None = None) -> etree._Element:
    """A UBL-TR invoice from ``seller`` to ``buyer``, sealed when ``seal`` is given."""
    today = now_local().date()
    spec = invoice_spec((seller.vkn, seller.title, seller.gb), (buyer.vkn, buyer.title, buyer.pk),
                        number=number or invoice_id.make("TST", today.year, next(_sequence)),
                        profile=profile, invoice_type=invoice_type, today=today,
                        billing_reference=billing_reference)
    if uuid is not None:
        spec["ettn"] = uuid
    if lines is not None:
        spec["lines"] = lines
    root = parse(build_invoice(load_invoice(spec)))
    return sign_element(root, seal) if seal is not None else root


def sender_envelope(seller: Taxpayer, buyer: Taxpayer, documents: Sequence[etree._Element], *,
                    sender: Party | None = None, receiver: Party | None = None) -> BuiltEnvelope:
    """A SENDERENVELOPE from the seller's GB to the buyer's PK (or the given parties)."""
    header = EnvelopeHeader(ettn.new(), EnvelopeType.SENDER, sender or seller.sender,
                            receiver or buyer.receiver, now_local())
    return build_envelope(header, list(documents))


def business_response(buyer: Taxpayer, seller: Taxpayer, invoice_root: etree._Element,
                      code: str, seal: Seal) -> etree._Element:
    """The buyer's sealed KABUL/RED to ``invoice_root``."""
    from entegrator.ubl import summarize

    facts = summarize(invoice_root)
    response = new_business_response(
        code, sender=ResponseParty(buyer.vkn, name=buyer.title),
        receiver=ResponseParty(seller.vkn, name=seller.title), invoice_ettn=facts.ettn or "",
        invoice_type=facts.invoice_type or "SATIS", invoice_issue_date=facts.issue_date
        or now_local().date(), issued_at=dt.datetime.now(dt.UTC),
        reason=None if code == "KABUL" else "Sipariş dışı")
    return sign_element(to_element(response), seal)


def postbox_envelope(buyer: Taxpayer, seller: Taxpayer, documents: Sequence[etree._Element]
                     ) -> BuiltEnvelope:
    """A POSTBOXENVELOPE from the buyer's PK to the seller's GB."""
    header = EnvelopeHeader(ettn.new(), EnvelopeType.POSTBOX, buyer.receiver, seller.sender,
                            now_local())
    return build_envelope(header, list(documents))


def user_envelope(integrator_vkn: str, holder: Taxpayer, action: UserAction, *,
                  integrator_seal: Seal | None, customer_seal: Seal | None, option: int = 2,
                  mailboxes: Sequence[Mailbox] | None = None) -> BuiltEnvelope:
    """A USERENVELOPE opening (or closing) ``holder``'s GB and PK aliases."""
    boxes = tuple(mailboxes) if mailboxes is not None else (
        Mailbox(Role.GB, holder.gb), Mailbox(Role.PK, holder.pk))
    request = UserAccountRequest(action, integrator_vkn,
                                 AccountHolder(holder.vkn, title=holder.title), option, boxes,
                                 now_local())
    document = build_user_account(request)
    if integrator_seal is not None:
        sign_element(document, integrator_seal)
        if customer_seal is not None:
            countersign_element(document, customer_seal)
    header = EnvelopeHeader(ettn.new(), EnvelopeType.USER, Party("usergb", integrator_vkn), GIB,
                            now_local())
    return build_envelope(header, [document])
