"""Service descriptions: the WSDL (``?wsdl``, ``?singleWsdl``) and its schemas (``?xsd=N``).

The message schemas are the project's own XSD resource files in each dialect's package
(``schemas/*.xsd``); they import each other by file name. The WSDL is generated from the
dialect's operation table, so it always lists exactly what the endpoint answers: one
message per request/response element, ``RequestFault`` on every operation, a document/literal
SOAP 1.1 binding (and SOAP 1.2 where the dialect offers it) with each operation's SOAPAction,
and one service port. Addresses point back at this server (integrator-api.md §2, §8.3):
``soap:address`` is the endpoint URL, and ``schemaLocation`` becomes ``<endpoint>?xsd=N`` with
İzibiz's numbering — clients with locally stored WSDLs import exactly those URLs. With
``inline`` every schema is embedded instead (WCF's ``?singleWsdl``).
"""

from __future__ import annotations

import copy
from functools import cache
from importlib.resources import files

from lxml import etree

from entegrator.api.soap.dialect import Dialect, ServiceDescription
from entegrator.ubl import ns
from entegrator.ubl.xml import parse, to_bytes

__all__ = ["schema_document", "schema_template", "wsdl_document"]

_W = ns.WSDL
_SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
_SOAP12 = ns.WSDL_SOAP12
_XS = ns.XSD


@cache
def schema_template(package: str, name: str) -> etree._Element:
    """The parsed schema resource ``name`` of ``package`` (do not modify the returned tree)."""
    return parse(files(package).joinpath("schemas", name).read_bytes())


def schema_document(dialect: Dialect, number: int, endpoint_url: str) -> bytes | None:
    """The schema served as ``?xsd=number`` (imports pointing here), or None if unknown."""
    description = dialect.description
    name = description.schemas.get(number)
    if name is None:
        return None
    root = copy.deepcopy(schema_template(description.package, name))
    _point_imports(root, description, endpoint_url)
    return to_bytes(root)


def wsdl_document(dialect: Dialect, endpoint_url: str, *, inline: bool | None = None) -> bytes:
    """The WSDL of ``dialect`` with addresses at ``endpoint_url``."""
    d = dialect.description
    inline = d.inline if inline is None else inline
    tns = dialect.namespace
    root = etree.Element(_q("definitions"), nsmap={
        None: _W, "tns": tns, "soap": _SOAP11, "soap12": _SOAP12, "xsd": _XS})
    root.set("name", d.service)
    root.set("targetNamespace", tns)
    types = etree.SubElement(root, _q("types"))
    for name in d.wsdl_schemas:
        template = schema_template(d.package, name)
        if inline:
            _inline(types, template)
        else:
            holder = etree.SubElement(types, f"{{{_XS}}}schema")
            etree.SubElement(holder, f"{{{_XS}}}import", namespace=template.get(
                "targetNamespace", ""), schemaLocation=_xsd_url(d, name, endpoint_url))
    fault_message = f"{d.fault_element}Message"
    for op in dialect.operations:
        _message(root, op.request, op.request, "request")
        _message(root, op.response, op.response, "response")
    _message(root, fault_message, d.fault_element, "fault")
    port_type = etree.SubElement(root, _q("portType"), name=d.port_type)
    for op in dialect.operations:
        operation = etree.SubElement(port_type, _q("operation"), name=op.name)
        etree.SubElement(operation, _q("input"), message=f"tns:{op.request}")
        etree.SubElement(operation, _q("output"), message=f"tns:{op.response}")
        etree.SubElement(operation, _q("fault"), name=d.fault_element,
                         message=f"tns:{fault_message}")
    bindings = [(_SOAP11, f"{d.port_type}Binding", f"{d.port_type}Port")]
    if d.soap12:
        bindings.append((_SOAP12, f"{d.port_type}Soap12Binding", f"{d.port_type}Soap12Port"))
    for soap_ns, binding_name, _ in bindings:
        _binding(root, dialect, soap_ns, binding_name)
    service = etree.SubElement(root, _q("service"), name=d.service)
    for soap_ns, binding_name, port_name in bindings:
        port = etree.SubElement(service, _q("port"), name=port_name,
                                binding=f"tns:{binding_name}")
        etree.SubElement(port, f"{{{soap_ns}}}address", location=endpoint_url)
    return to_bytes(root)


def _inline(types: etree._Element, template: etree._Element) -> None:
    """Embed a schema; its namespace declarations are re-declared explicitly, because type
    references (``type="xs:date"``, ``type="INVOICE"``) use prefixes only in attribute values,
    which lxml would otherwise drop as unused when moving the element."""
    schema = etree.SubElement(types, template.tag, attrib=dict(template.attrib),
                              nsmap=template.nsmap)
    for child in template:
        schema.append(copy.deepcopy(child))
    for imported in schema.findall(f"{{{_XS}}}import"):
        imported.attrib.pop("schemaLocation", None)


def _binding(root: etree._Element, dialect: Dialect, soap_ns: str, name: str) -> None:
    d = dialect.description
    binding = etree.SubElement(root, _q("binding"), name=name, type=f"tns:{d.port_type}")
    etree.SubElement(binding, f"{{{soap_ns}}}binding", style="document",
                     transport=ns.SOAP_HTTP)
    for op in dialect.operations:
        operation = etree.SubElement(binding, _q("operation"), name=op.name)
        etree.SubElement(operation, f"{{{soap_ns}}}operation",
                         soapAction=d.soap_action(op.name), style="document")
        for direction in ("input", "output"):
            etree.SubElement(etree.SubElement(operation, _q(direction)),
                             f"{{{soap_ns}}}body", use="literal")
        fault = etree.SubElement(operation, _q("fault"), name=d.fault_element)
        etree.SubElement(fault, f"{{{soap_ns}}}fault", name=d.fault_element, use="literal")


def _message(root: etree._Element, name: str, element: str, part: str) -> None:
    message = etree.SubElement(root, _q("message"), name=name)
    etree.SubElement(message, _q("part"), name=part, element=f"tns:{element}")


def _point_imports(schema: etree._Element, d: ServiceDescription, endpoint_url: str) -> None:
    for imported in schema.findall(f"{{{_XS}}}import"):
        location = imported.get("schemaLocation")
        if location is not None:
            imported.set("schemaLocation", _xsd_url(d, location, endpoint_url))


def _xsd_url(d: ServiceDescription, name: str, endpoint_url: str) -> str:
    numbers = {file: number for number, file in d.schemas.items()}
    if name not in numbers:  # the resources are ours: a missing entry is a packaging mistake
        raise RuntimeError(f"{d.service}: schema {name!r} has no ?xsd= number")
    return f"{endpoint_url}?xsd={numbers[name]}"


def _q(local: str) -> str:
    return f"{{{_W}}}{local}"
