"""Tests for entegrator.gib.wsdl: our WSDL states GİB's contract exactly; address rewriting."""

from __future__ import annotations

from pathlib import Path

import zeep
from lxml import etree

from entegrator.gib.wsdl import wsdl_for, wsdl_template
from entegrator.ubl import ns

W, S12, XS = ns.WSDL, ns.WSDL_SOAP12, ns.XSD


def _qname(element: etree._Element, value: str) -> str:
    prefix, _, local = value.rpartition(":")
    return f"{{{element.nsmap.get(prefix or None)}}}{local}"


def _contract(root: etree._Element) -> dict[str, object]:
    """Everything of a WSDL that a SOAP peer depends on, independent of layout and prefixes."""
    schemas = {}
    for schema in root.iter(f"{{{XS}}}schema"):
        target = schema.get("targetNamespace")
        schemas[target] = {
            "elementFormDefault": schema.get("elementFormDefault"),
            "elements": sorted((e.get("name"), _qname(e, e.get("type", "")))
                               for e in schema.findall(f"{{{XS}}}element")),
            "types": sorted(
                (t.get("name"), tuple(
                    (e.get("name"), _qname(e, e.get("type", "")), e.get("minOccurs"),
                     e.get("maxOccurs")) for e in t.iter(f"{{{XS}}}element")),
                 tuple(_qname(x, x.get("base", "")) for x in t.iter(f"{{{XS}}}extension")),
                 tuple(_qname(a, a.get("ref", "")) for a in t.iter(f"{{{XS}}}attribute")))
                for t in schema.findall(f"{{{XS}}}complexType")),
            "attributes": sorted(a.get("name") for a in schema.findall(f"{{{XS}}}attribute")),
        }
    return {
        "targetNamespace": root.get("targetNamespace"),
        "schemas": schemas,
        "messages": sorted(
            (m.get("name"), tuple((p.get("name"), _qname(p, p.get("element", "")))
                                  for p in m.findall(f"{{{W}}}part")))
            for m in root.findall(f"{{{W}}}message")),
        "portTypes": sorted(
            (pt.get("name"), tuple(sorted(
                (op.get("name"), tuple((io.tag, io.get("name"), _qname(io, io.get("message", "")))
                                       for io in op))
                for op in pt.findall(f"{{{W}}}operation"))))
            for pt in root.findall(f"{{{W}}}portType")),
        "bindings": sorted(
            (b.get("name"), _qname(b, b.get("type", "")),
             tuple(sorted((k, v) for x in b.findall(f"{{{S12}}}binding") for k, v in x.items())),
             tuple(sorted(
                 (op.get("name"),
                  tuple(sorted(op.find(f"{{{S12}}}operation").items())),  # type: ignore[union-attr]
                  tuple((io.tag, io.get("name"), tuple(sorted(
                      (c.tag, tuple(sorted(c.items()))) for c in io)))
                        for io in op if io.tag != f"{{{S12}}}operation"))
                 for op in b.findall(f"{{{W}}}operation"))))
            for b in root.findall(f"{{{W}}}binding")),
        "services": sorted(
            (s.get("name"), tuple((p.get("name"), _qname(p, p.get("binding", "")))
                                  for p in s.findall(f"{{{W}}}port")))
            for s in root.findall(f"{{{W}}}service")),
    }


def test_contract_equals_gibs_wsdl(gib_reference_dir: Path) -> None:
    gib = etree.parse(str(gib_reference_dir / "wsdl" / "EFatura_Test.wsdl")).getroot()
    assert _contract(wsdl_template()) == _contract(gib)


def test_zeep_sees_the_same_service_as_in_gibs_wsdl(gib_reference_dir: Path,
                                                    tmp_path: Path) -> None:
    ours = tmp_path / "ours.wsdl"
    ours.write_bytes(wsdl_for("https://example.invalid/EFatura"))

    def operations(path: Path) -> dict[str, tuple[str, str, str | None]]:
        client = zeep.Client(str(path))
        binding = client.wsdl.bindings[f"{{{ns.EFATURA_WS}}}EFaturaSoapBinding"]
        return {name: (op.input.signature(), op.output.signature(), op.soapaction)
                for name, op in binding._operations.items()}

    assert operations(ours) == operations(gib_reference_dir / "wsdl" / "EFatura_Test.wsdl")


def test_wsdl_for_sets_the_address() -> None:
    root = etree.fromstring(wsdl_for("https://entegrator.example/gib?x=1&y=2"))
    address = root.find(f"{{{W}}}service/{{{W}}}port/{{{S12}}}address")
    assert address is not None
    assert address.get("location") == "https://entegrator.example/gib?x=1&y=2"


def test_wsdl_for_does_not_change_the_template() -> None:
    wsdl_for("https://one.example/")
    address = wsdl_template().find(f"{{{W}}}service/{{{W}}}port/{{{S12}}}address")
    assert address is not None and address.get("location") != "https://one.example/"
