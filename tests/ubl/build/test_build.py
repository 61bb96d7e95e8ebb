"""Tests for entegrator.ubl.build (the document as a whole)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from efatura_kontrol.bulgu import Bulgu
from lxml import etree

from entegrator.ubl import extension, ns
from entegrator.ubl.build import build_invoice
from entegrator.ubl.draft import DRAFT_ETTN
from entegrator.ubl.errors import InvoiceInvalid
from entegrator.ubl.model import Invoice

Query = Callable[[etree._Element, str], list[Any]]


def test_minimal_invoice_passes_gibs_checks(
    make_invoice: Callable[..., Invoice], gib_findings: Callable[[bytes], list[Bulgu]]
) -> None:
    assert gib_findings(build_invoice(make_invoice())) == []


def test_same_model_gives_same_bytes(make_invoice: Callable[..., Invoice]) -> None:
    assert build_invoice(make_invoice()) == build_invoice(make_invoice())


def test_output_is_utf8_with_declaration(make_invoice: Callable[..., Invoice]) -> None:
    assert build_invoice(make_invoice()).startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_root_declares_the_ubl_prefixes_and_xsi(built: Callable[..., etree._Element]) -> None:
    root = built()
    assert root.tag == ns.qname(ns.INV, "Invoice")
    assert root.nsmap[None] == ns.INV
    assert {"cac", "cbc", "ext", "xsi"} <= set(root.nsmap)
    assert root.get(ns.qname(ns.XSI, "schemaLocation")).endswith("UBL-Invoice-2.1.xsd")


def test_first_child_is_the_signature_slot(built: Callable[..., etree._Element]) -> None:
    root = built()
    assert root[0].tag == ns.ext("UBLExtensions")
    assert extension.find_placeholder(root) is not None


def test_header_values(built: Callable[..., etree._Element], query: Query) -> None:
    root = built(issue_time="09:05:00", notes=["birinci", "ikinci"])
    assert query(root, "cbc:UBLVersionID/text()") == ["2.1"]
    assert query(root, "cbc:CustomizationID/text()") == ["TR1.2"]
    assert query(root, "cbc:CopyIndicator/text()") == ["false"]
    assert query(root, "cbc:IssueTime/text()") == ["09:05:00"]
    assert query(root, "cbc:Note/text()") == ["birinci", "ikinci"]
    assert query(root, "cbc:LineCountNumeric/text()") == ["1"]


def test_legal_monetary_total(built: Callable[..., etree._Element], query: Query) -> None:
    total = query(built(), "cac:LegalMonetaryTotal")[0]
    values = {etree.QName(child).localname: child.text for child in total}
    assert values == {
        "LineExtensionAmount": "300.00",
        "TaxExclusiveAmount": "300.00",
        "TaxInclusiveAmount": "360.00",
        "AllowanceTotalAmount": "0.00",
        "ChargeTotalAmount": "0.00",
        "PayableAmount": "360.00",
    }


def test_every_amount_carries_the_document_currency(
    built: Callable[..., etree._Element], query: Query
) -> None:
    root = built(currency="EUR", exchange_rate={"rate": "39.887"})
    assert set(query(root, "//@currencyID")) == {"EUR"}


def test_missing_number_and_ettn_are_refused(make_invoice: Callable[..., Invoice]) -> None:
    with pytest.raises(InvoiceInvalid) as caught:
        build_invoice(make_invoice(number=None, ettn=None))
    assert [p.path for p in caught.value.problems] == ["ettn", "number"]


def test_draft_gets_placeholders_that_pass_gib(
    make_invoice: Callable[..., Invoice],
    gib_findings: Callable[[bytes], list[Bulgu]],
    query: Query,
) -> None:
    document = build_invoice(make_invoice(number=None, ettn=None), draft=True)
    root = etree.fromstring(document)
    assert query(root, "cbc:ID/text()") == ["TSL2025000000000"]
    assert query(root, "cbc:UUID/text()") == [DRAFT_ETTN]
    assert gib_findings(document) == []


def test_rule_problems_stop_the_build(make_invoice: Callable[..., Invoice]) -> None:
    with pytest.raises(InvoiceInvalid, match="döviz kuru"):
        build_invoice(make_invoice(currency="USD"))


def test_exchange_rate_goes_to_pricing_exchange_rate(
    built: Callable[..., etree._Element], query: Query
) -> None:
    root = built(currency="USD", exchange_rate={"rate": "36.4521", "date": "2025-02-28"})
    rate = query(root, "cac:PricingExchangeRate")[0]
    assert [child.text for child in rate] == ["USD", "TRY", "36.4521", "2025-02-28"]
