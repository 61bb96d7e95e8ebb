"""api.edm — the EDM-compatible SOAP service ``EFaturaEDM.svc``.

One endpoint for everything (integrator-api.md §1), at EDM's paths
(``/EFaturaEDM/EFaturaEDM.svc``, the test service's ``/EFaturaEDM21ea/EFaturaEDM.svc``):
namespace ``http://tempuri.org/`` with unqualified children, SOAPAction ``<Op>Request`` per
operation, SOAP 1.1 and 1.2, errors as SOAP faults carrying ``RequestFault`` (2005 for a
failed login), the WSDL at ``?wsdl`` and ``?singleWsdl`` with every schema inline. The
operations are those of EDM's contract that entegrator's core supports; the schemas in
``schemas/`` are entegrator's own description of them.
"""

from __future__ import annotations

from entegrator.api.edm import reading, sending, users
from entegrator.api.soap import sessionops
from entegrator.api.soap.answering import answer_invoices
from entegrator.api.soap.dialect import Dialect, ErrorStyle, Operation, ServiceDescription
from entegrator.api.soap.documents import mark_invoices
from entegrator.api.soap.errors import EDM_CODES, ErrorInfo, classify
from entegrator.ubl import ns

__all__ = ["DIALECTS", "EFATURA_EDM"]


def _errors(exc: BaseException) -> ErrorInfo:
    return classify(exc, EDM_CODES)


EFATURA_EDM = Dialect(
    id="edm",
    paths=("/EFaturaEDM/EFaturaEDM.svc", "/EFaturaEDM21ea/EFaturaEDM.svc"),
    namespace=ns.TEMPURI,
    operations=(
        Operation("Login", sessionops.login, needs_session=False, credentials=True),
        Operation("Logout", sessionops.logout),
        Operation("GetSessionInfo", reading.get_session_info, needs_session=False),
        Operation("CheckUser", users.check_user),
        Operation("GetUserList", users.get_user_list),
        Operation("GetUserListBinary", users.get_user_list_binary),
        Operation("SendInvoice", sending.send_invoice),
        Operation("LoadInvoice", sending.load_invoice),
        Operation("CancelInvoice", sending.cancel_invoice),
        Operation("GetInvoice", reading.get_invoice),
        Operation("MarkInvoice", mark_invoices),
        Operation("GetInvoiceStatus", reading.get_invoice_status),
        Operation("SendInvoiceResponseWithServerSign", answer_invoices),
    ),
    errors=ErrorStyle.FAULT,
    description=ServiceDescription(
        package="entegrator.api.edm", service="EFaturaEDM", port_type="EFaturaEDMPort",
        schemas={0: "edm.xsd", 1: "common.xsd", 2: "xmlmime.xsd"},
        wsdl_schemas=("common.xsd", "xmlmime.xsd", "edm.xsd"), inline=True, soap12=True,
        soap_action=lambda name: f"{name}Request"),
    error_codes=_errors,
    prefix="tns",
)

#: Every EDM endpoint.
DIALECTS = (EFATURA_EDM,)
