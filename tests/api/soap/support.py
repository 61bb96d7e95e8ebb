"""Helpers of the SOAP faces' tests: raw envelopes over HTTP, logins, schema checks, and
documents in a taxpayer's mailbox.

Raw requests are written the way real clients write them (the captured ones in
``../shared/reference``): children unqualified, the root in the service namespace.
"""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import httpx
from lxml import etree

from entegrator.core.wiring import Integrator
from entegrator.gib.soap import SoapMessage, read_fault, read_message
from entegrator.signing import Seal
from entegrator.ubl import ns
from tests.core.inbound.support import deliver, envelope_zip, invoice_bytes, run_jobs

__all__ = [
    "EDM_PATH",
    "REFERENCE",
    "Reply",
    "edm",
    "izibiz",
    "login",
    "post",
    "receive_invoices",
    "schema",
    "unzip_one",
    "zipped",
]

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference"
EDM_PATH = "/EFaturaEDM/EFaturaEDM.svc"
_SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
_SOAP12 = "http://www.w3.org/2003/05/soap-envelope"


@dataclass(frozen=True)
class Reply:
    """An HTTP answer and its decoded SOAP payload."""

    status: int
    content_type: str
    message: SoapMessage

    @property
    def payload(self) -> etree._Element:
        return self.message.payload

    def text(self, path: str) -> str | None:
        """Text at an unqualified path below the payload (``ERROR_TYPE/ERROR_CODE``)."""
        found = self.payload.find(path)
        return None if found is None else (found.text or "")

    @property
    def error_code(self) -> int | None:
        """İzibiz ERROR_TYPE code, or the fault's RequestFault code, or None."""
        fault = read_fault(self.message)
        if fault is not None:
            assert fault.detail is not None
            return int(fault.detail.findtext("ERROR_CODE") or "0")
        code = self.text("ERROR_TYPE/ERROR_CODE")
        return None if code is None else int(code)

    @property
    def is_fault(self) -> bool:
        return read_fault(self.message) is not None


def post(url: str, body: bytes | str, *, soap12: bool = False, action: str | None = None,
         headers: dict[str, str] | None = None) -> Reply:
    """POST a SOAP envelope; decode the answer (HTTP 200 or a fault)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    sent = {"content-type": "application/soap+xml; charset=utf-8" if soap12
            else "text/xml; charset=utf-8"}
    if action is not None:
        sent["soapaction"] = f'"{action}"'
    sent.update(headers or {})
    response = httpx.post(url, content=data, headers=sent, timeout=60)
    message = read_message(response.content, response.headers.get("content-type"),
                           max_bytes=1 << 26)
    return Reply(response.status_code, response.headers.get("content-type", ""), message)


def _envelope(inner: str, *, soap12: bool = False) -> str:
    env = _SOAP12 if soap12 else _SOAP11
    return (f'<soapenv:Envelope xmlns:soapenv="{env}"><soapenv:Header/>'
            f"<soapenv:Body>{inner}</soapenv:Body></soapenv:Envelope>")


def izibiz(operation: str, session: str | None, body: str = "", *, header: str = "",
           soap12: bool = False) -> str:
    """An İzibiz request envelope (``wsdl:`` prefix, unqualified children)."""
    sid = "" if session is None else f"<SESSION_ID>{session}</SESSION_ID>"
    return _envelope(
        f'<wsdl:{operation}Request xmlns:wsdl="{ns.I2I_WSDL}">'
        f"<REQUEST_HEADER>{sid}{header}</REQUEST_HEADER>{body}</wsdl:{operation}Request>",
        soap12=soap12)


def edm(operation: str, session: str | None, body: str = "", *, header: str = "",
        soap12: bool = False) -> str:
    """An EDM request envelope as WCF writes it (default namespace, ``xmlns=""`` children)."""
    sid = "" if session is None else f"<SESSION_ID>{session}</SESSION_ID>"
    return _envelope(
        f'<{operation}Request xmlns="{ns.TEMPURI}"><REQUEST_HEADER xmlns="">{sid}{header}'
        f"</REQUEST_HEADER>{body}</{operation}Request>", soap12=soap12)


def login(base: str, path: str, username: str, password: str) -> str:
    """Log in through ``path`` (an İzibiz or EDM endpoint); the SESSION_ID."""
    user = f'<USER_NAME xmlns="">{username}</USER_NAME><PASSWORD xmlns="">{password}</PASSWORD>'
    body = (edm("Login", "0", user) if path == EDM_PATH
            else izibiz("Login", "-1", user.replace(' xmlns=""', "")))
    reply = post(base + path, body)
    token = reply.text("SESSION_ID")
    assert reply.status == 200 and token, etree.tostring(reply.payload)
    return token


@cache
def schema(package: str, name: str) -> etree.XMLSchema:
    """One of the project's XSD resources (imports resolved next to it)."""
    path = files(package).joinpath("schemas", name)
    return etree.XMLSchema(etree.parse(str(path)))


def zipped(data: bytes, name: str = "fatura.xml") -> bytes:
    """``data`` as the single entry of a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def unzip_one(data: bytes) -> tuple[str, bytes]:
    """The single entry of a zip: name and bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (info,) = archive.infolist()
        return info.filename, archive.read(info)


def b64(data: bytes) -> str:
    """Base64 text."""
    return base64.b64encode(data).decode("ascii")


def receive_invoices(integrator: Integrator, seal: Seal, count: int = 1, *,
                     profile: str = "TICARIFATURA", first_number: int = 1) -> list[str]:
    """Deliver ``count`` signed invoices from the seller to the buyer (as Merkez would) and
    process them; return their ETTNs (lower case)."""
    ettns = []
    documents = []
    for n in range(count):
        xml = invoice_bytes(profile=profile, number=first_number + n, seal=seal)
        documents.append(xml)
        uuid = etree.fromstring(xml).findtext(ns.cbc("UUID"))
        assert uuid is not None
        ettns.append(uuid.lower())
    for start in range(0, count, 100):
        deliver(integrator, envelope_zip(documents[start:start + 100]))
    run_jobs(integrator)
    return ettns
