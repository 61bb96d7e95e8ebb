"""Locator: one readable XPath form for every layer, and its source line."""

from __future__ import annotations

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation.locations import Locator

_LOCATOR = Locator({uri: prefix for prefix, uri in ns.NS.items()})


def test_eqname_path_gets_known_prefixes() -> None:
    path = f"/Q{{{ns.INV}}}Invoice[1]/Q{{{ns.CAC}}}InvoiceLine[2]/@currencyID"
    assert _LOCATOR.from_eqname_path(path) == "/inv:Invoice[1]/cac:InvoiceLine[2]/@currencyID"


def test_unqualified_steps_stay_plain() -> None:
    path = f"/Q{{{ns.SH}}}StandardBusinessDocument[1]/Q{{}}Elements[1]"
    assert _LOCATOR.from_eqname_path(path) == "/sh:StandardBusinessDocument[1]/Elements[1]"


def test_unknown_namespace_is_spelled_out() -> None:
    assert _LOCATOR.from_eqname_path("/Q{urn:x}a[1]") == (
        "/*[namespace-uri()='urn:x' and local-name()='a'][1]"
    )


def test_xpath_of_counts_same_name_siblings() -> None:
    root = etree.fromstring(
        f'<Invoice xmlns="{ns.INV}" xmlns:cac="{ns.CAC}"><cac:A/><cac:B/><cac:A/></Invoice>'
    )
    assert _LOCATOR.xpath_of(root[2]) == "/inv:Invoice[1]/cac:A[2]"
    assert _LOCATOR.xpath_of(root[1], "currencyID") == "/inv:Invoice[1]/cac:B[1]/@currencyID"


def test_xpath_of_round_trips_through_line() -> None:
    root = etree.fromstring(
        f'<Invoice xmlns="{ns.INV}" xmlns:cac="{ns.CAC}">\n<cac:A/>\n<cac:A/></Invoice>'
    )
    assert _LOCATOR.line(root, _LOCATOR.xpath_of(root[1])) == 3


def test_line_of_an_unknown_path_is_none() -> None:
    root = etree.fromstring("<a/>")
    assert _LOCATOR.line(root, "/b[1]") is None
    assert _LOCATOR.line(root, "/x:[") is None
