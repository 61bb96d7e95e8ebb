"""api.izibiz — the İzibiz-compatible SOAP services (i2i contract family).

Three endpoints at İzibiz's own paths, so an ERP moves by changing only its base URL and
credentials (integrator-api.md §1, §8): ``/AuthenticationWS`` (session, CheckUser, GİB user
list), ``/EInvoiceWS`` (the e-invoice operations) and the legacy ``/EFaturaOIB`` (the same
operations; its clients expect SOAP faults, not ``ERROR_TYPE``). Namespace
``http://schemas.i2i.com/ei/wsdl``, unqualified children, ``soapAction=""``. Each dialect is
a thin face over core; the schemas in ``schemas/`` are entegrator's own description of the
messages, served at ``?xsd=N`` with İzibiz's numbering.
"""

from __future__ import annotations

from entegrator.api.izibiz import reading, sending, users
from entegrator.api.soap import sessionops as sessions
from entegrator.api.soap.answering import answer_invoices
from entegrator.api.soap.dialect import Dialect, ErrorStyle, Operation, ServiceDescription
from entegrator.api.soap.documents import mark_invoices
from entegrator.api.soap.errors import IZIBIZ_CODES, OIB_CODES, ErrorInfo, classify
from entegrator.ubl import ns

__all__ = ["AUTHENTICATION", "DIALECTS", "EFATURA_OIB", "EINVOICE"]

_PACKAGE = "entegrator.api.izibiz"


def _izibiz_errors(exc: BaseException) -> ErrorInfo:
    return classify(exc, IZIBIZ_CODES)


def _oib_errors(exc: BaseException) -> ErrorInfo:
    return classify(exc, OIB_CODES)


#: The e-invoice operations of EInvoiceWS and EFaturaOIB.
_EINVOICE_OPERATIONS = (
    Operation("Login", sessions.login_with_return, needs_session=False, credentials=True),
    Operation("Logout", sessions.logout),
    Operation("SendInvoice", sending.send_invoice),
    Operation("LoadInvoice", sending.load_invoice),
    Operation("CancelDraftInvoice", sending.cancel_draft_invoice),
    Operation("GetInvoice", reading.get_invoice),
    Operation("GetInvoiceWithType", reading.get_invoice_with_type),
    Operation("MarkInvoice", mark_invoices),
    Operation("GetInvoiceStatus", reading.get_invoice_status),
    Operation("GetInvoiceStatusAll", reading.get_invoice_status_all),
    Operation("GetInvoiceCount", reading.get_invoice_count, error_in_body=False),
    Operation("SendInvoiceResponseWithServerSign", answer_invoices),
    Operation("CheckUser", users.check_user),
    Operation("GetUserList", users.get_user_list),
    Operation("GetUserListBinary", users.get_user_list_binary),
)

_EINVOICE_SCHEMAS = {1: "common.xsd", 2: "entity.xsd", 3: "xmlmime.xsd", 4: "einvoice.xsd"}

AUTHENTICATION = Dialect(
    id="izibiz-auth",
    paths=("/AuthenticationWS",),
    namespace=ns.I2I_WSDL,
    operations=(
        Operation("Login", sessions.login, needs_session=False, credentials=True),
        Operation("Logout", sessions.logout),
        Operation("CheckUser", users.check_user_auth),
        Operation("GetGibUserList", users.get_gib_user_list),
    ),
    errors=ErrorStyle.BODY,
    description=ServiceDescription(
        package=_PACKAGE, service="AuthenticationWS", port_type="AuthenticationServicePort",
        schemas={1: "xmlmime.xsd", 2: "auth.xsd", 3: "entity.xsd", 4: "common.xsd"},
        wsdl_schemas=("auth.xsd",)),
    error_codes=_izibiz_errors,
)

EINVOICE = Dialect(
    id="izibiz-einvoice",
    paths=("/EInvoiceWS",),
    namespace=ns.I2I_WSDL,
    operations=_EINVOICE_OPERATIONS,
    errors=ErrorStyle.BODY,
    description=ServiceDescription(
        package=_PACKAGE, service="EInvoiceWS", port_type="EInvoiceWSPort",
        schemas=_EINVOICE_SCHEMAS, wsdl_schemas=("einvoice.xsd",)),
    error_codes=_izibiz_errors,
)

EFATURA_OIB = Dialect(
    id="izibiz-oib",
    paths=("/EFaturaOIB",),
    namespace=ns.I2I_WSDL,
    operations=_EINVOICE_OPERATIONS,
    errors=ErrorStyle.FAULT,
    description=ServiceDescription(
        package=_PACKAGE, service="EFaturaOIB", port_type="EFaturaOIBPort",
        schemas=_EINVOICE_SCHEMAS, wsdl_schemas=("einvoice.xsd",)),
    error_codes=_oib_errors,
    deprecated=True,
)

#: Every İzibiz endpoint, in mounting order.
DIALECTS = (AUTHENTICATION, EINVOICE, EFATURA_OIB)
