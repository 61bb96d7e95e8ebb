"""What one SOAP service is: its path, namespace, operations, error style and service description.

A :class:`Dialect` is one endpoint of one integrator family (İzibiz ``/EInvoiceWS``, EDM
``/EFaturaEDM.svc`` …; integrator-api.md §1, §8.1–8.2). The layer (:mod:`.endpoint`) knows no
particular service: it reads the envelope, looks the first Body child's local name up in
:meth:`Dialect.operation`, calls the operation's handler and renders the answer — or the error
in the dialect's :class:`ErrorStyle`. Registration is explicit (:class:`DialectRegistry`, built
by :func:`entegrator.api.soap.routes.soap_routes` from a tuple), as in style-examples §8.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from entegrator.api.soap.call import Call
    from entegrator.api.soap.errors import ErrorInfo

__all__ = ["Dialect", "DialectRegistry", "ErrorStyle", "Handler", "Operation", "ServiceDescription"]

#: An operation's implementation: gets the call, returns the response's children in order.
Handler = Callable[["Call"], list[etree._Element]]


class ErrorStyle(Enum):
    """How a dialect reports an error (integrator-api.md §3.3).

    ``BODY``: İzibiz — ``ERROR_TYPE`` inside a normal HTTP 200 response (a fault only for
    operations whose response type has no ``ERROR_TYPE``); ``FAULT``: EDM and İzibiz's legacy
    ``EFaturaOIB`` — a SOAP fault (HTTP 500) with ``RequestFault`` as its detail.
    """

    BODY = "body"
    FAULT = "fault"


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation: request/response element names, handler, and whether it needs a session.

    ``error_in_body``: the response type has an ``ERROR_TYPE`` element (BODY style only).
    ``credentials``: the operation carries USER_NAME/PASSWORD instead of a session (Login).
    """

    name: str
    handler: Handler
    needs_session: bool = True
    error_in_body: bool = True
    credentials: bool = False

    @property
    def request(self) -> str:
        """Local name of the request element (``LoginRequest``)."""
        return f"{self.name}Request"

    @property
    def response(self) -> str:
        """Local name of the response element (``LoginResponse``)."""
        return f"{self.name}Response"


@dataclass(frozen=True, slots=True)
class ServiceDescription:
    """The WSDL/XSD a dialect serves (see :mod:`entegrator.api.soap.wsdl`).

    ``package`` holds the resource files; ``schemas`` maps ``?xsd=N`` numbers to file names
    (``wsdl_schemas``: the files the WSDL imports, in order); ``inline`` puts every schema into
    the WSDL itself (EDM ``?singleWsdl``). ``soap_action`` gives the SOAPAction written for an
    operation name. ``soap12``: also describe a SOAP 1.2 binding and port.
    """

    package: str
    service: str
    port_type: str
    schemas: Mapping[int, str]
    wsdl_schemas: tuple[str, ...]
    fault_element: str = "RequestFault"
    inline: bool = False
    soap12: bool = False
    soap_action: Callable[[str], str] = field(default=lambda _name: "")


@dataclass(frozen=True, slots=True)
class Dialect:
    """One served SOAP service (see the module docstring).

    ``paths``: where it is mounted (the first one is canonical); ``prefix``: the prefix bound
    to the service namespace on response roots (never the default namespace: the children
    are unqualified, and a default namespace would capture them).
    """

    id: str
    paths: tuple[str, ...]
    namespace: str
    operations: tuple[Operation, ...]
    errors: ErrorStyle
    description: ServiceDescription
    error_codes: Callable[[BaseException], ErrorInfo]
    prefix: str = "ns2"
    deprecated: bool = False
    _by_request: dict[str, Operation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table: dict[str, Operation] = {}
        for operation in self.operations:
            if operation.request in table:
                raise ValueError(f"{self.id}: operation {operation.name} defined twice")
            table[operation.request] = operation
        object.__setattr__(self, "_by_request", table)

    def operation(self, request_local_name: str) -> Operation | None:
        """The operation answering ``<request_local_name>``, or None if not served."""
        return self._by_request.get(request_local_name)

    def qname(self, local: str) -> str:
        """``{namespace}local`` for a response root."""
        return f"{{{self.namespace}}}{local}"


class DialectRegistry:
    """The dialects a server mounts, by id; refuses a duplicate id or a path used twice."""

    def __init__(self, dialects: Iterable[Dialect]) -> None:
        self._by_id: dict[str, Dialect] = {}
        paths: set[str] = set()
        for dialect in dialects:
            if dialect.id in self._by_id:
                raise ValueError(f"dialect {dialect.id!r} registered twice")
            clash = paths.intersection(dialect.paths)
            if clash:
                raise ValueError(f"dialect {dialect.id!r} reuses path(s) {sorted(clash)}")
            paths.update(dialect.paths)
            self._by_id[dialect.id] = dialect

    def get(self, dialect_id: str) -> Dialect:
        """The dialect ``dialect_id`` (KeyError if unknown)."""
        return self._by_id[dialect_id]

    def __iter__(self) -> Iterator[Dialect]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)
