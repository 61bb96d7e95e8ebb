"""Namespace URIs and prefixes of every XML vocabulary entegrator reads or writes.

This is the only module that spells out a namespace URI. Use :data:`NS` for XPath
prefix maps and the ``Q_*`` helpers (Clark notation, ``{uri}local``) to build tags.

>>> cbc("ID")
'{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID'
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "APR",
    "CAC",
    "CBC",
    "DS",
    "EF",
    "EFATURA_WS",
    "EXT",
    "HR",
    "I2I_COMMON",
    "I2I_ENTITY",
    "I2I_WSDL",
    "INV",
    "NS",
    "OA",
    "SH",
    "SIGNATURE_PLACEHOLDER",
    "SOAP11",
    "SOAP12",
    "SOAP_HTTP",
    "SVRL",
    "TEMPURI",
    "WSDL",
    "WSDL_SOAP12",
    "XADES",
    "XMIME",
    "XOP",
    "XSD",
    "XSI",
    "XSL",
    "cac",
    "cbc",
    "ds",
    "ext",
    "qname",
    "xades",
]

INV: Final = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
APR: Final = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
CAC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
DS: Final = "http://www.w3.org/2000/09/xmldsig#"
XADES: Final = "http://uri.etsi.org/01903/v1.3.2#"
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
SH: Final = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
EF: Final = "http://www.efatura.gov.tr/package-namespace"
HR: Final = "http://www.hr-xml.org/3"
OA: Final = "http://www.openapplications.org/oagis/9"
SVRL: Final = "http://purl.oclc.org/dsdl/svrl"
XSL: Final = "http://www.w3.org/1999/XSL/Transform"
# entegrator's own: the element the signer replaces with ds:Signature (ubl/extension.py).
SIGNATURE_PLACEHOLDER: Final = "urn:entegrator:signature-placeholder"
# SOAP, MTOM/XOP and WSDL (GİB's EFatura web service, gib-protocol.md §1).
SOAP11: Final = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12: Final = "http://www.w3.org/2003/05/soap-envelope"
SOAP_HTTP: Final = "http://schemas.xmlsoap.org/soap/http"
XOP: Final = "http://www.w3.org/2004/08/xop/include"
XMIME: Final = "http://www.w3.org/2005/05/xmlmime"
WSDL: Final = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP12: Final = "http://schemas.xmlsoap.org/wsdl/soap12/"
XSD: Final = "http://www.w3.org/2001/XMLSchema"
EFATURA_WS: Final = "http://gib.gov.tr/vedop3/eFatura"
# The ERP-facing services of the i2i family (İzibiz) and EDM (integrator-api.md §1).
I2I_WSDL: Final = "http://schemas.i2i.com/ei/wsdl"
I2I_ENTITY: Final = "http://schemas.i2i.com/ei/entity"
I2I_COMMON: Final = "http://schemas.i2i.com/ei/common"
TEMPURI: Final = "http://tempuri.org/"

#: Prefix map for XPath evaluation and for serializing new documents.
NS: Final[dict[str, str]] = {
    "inv": INV,
    "apr": APR,
    "cac": CAC,
    "cbc": CBC,
    "ext": EXT,
    "ds": DS,
    "xades": XADES,
    "xsi": XSI,
    "sh": SH,
    "ef": EF,
    "hr": HR,
    "oa": OA,
    "svrl": SVRL,
    "xsl": XSL,
    "sigph": SIGNATURE_PLACEHOLDER,
    "soap11": SOAP11,
    "soap12": SOAP12,
    "xop": XOP,
    "xmime": XMIME,
    "wsdl": WSDL,
    "wsoap12": WSDL_SOAP12,
    "xsd": XSD,
    "efws": EFATURA_WS,
}


def qname(namespace: str, local: str) -> str:
    """Return the Clark-notation tag ``{namespace}local``."""
    return f"{{{namespace}}}{local}"


def cbc(local: str) -> str:
    """Tag in the UBL CommonBasicComponents namespace."""
    return qname(CBC, local)


def cac(local: str) -> str:
    """Tag in the UBL CommonAggregateComponents namespace."""
    return qname(CAC, local)


def ext(local: str) -> str:
    """Tag in the UBL CommonExtensionComponents namespace."""
    return qname(EXT, local)


def ds(local: str) -> str:
    """Tag in the XML-DSig namespace."""
    return qname(DS, local)


def xades(local: str) -> str:
    """Tag in the XAdES 1.3.2 namespace."""
    return qname(XADES, local)
