"""gib — GİB's EFatura web service (sendDocument / getApplicationResponse), both directions.

The client (behind a Transport seam) and the integrator's own server side of the same SOAP 1.2
+ MTOM contract, plus GİB's registered-user list formats (:mod:`entegrator.gib.userlist`).
Moves bytes only — file name, zip bytes, MD5, system-response XML text; what is inside an
envelope is :mod:`entegrator.envelope`'s business. Knows nothing about the integrator's
database: the server takes a receiver port (:mod:`entegrator.gib.ports`) that core and the
simulator implement.
"""

from __future__ import annotations

from entegrator.gib.client import GibClient, GibClientConfig, SendResult
from entegrator.gib.contract import (
    GET_APPLICATION_RESPONSE,
    MERKEZ_PATH,
    SEND_DOCUMENT,
    is_valid_file_name,
)
from entegrator.gib.errors import (
    AlreadyReceived,
    ArchiveFailure,
    FaultAction,
    FaultCode,
    GibError,
    GibFault,
    HashMismatch,
    InvalidFileName,
    MalformedMessage,
    ProtocolError,
    QueueFailure,
    RequestRejected,
    ReturnedHashMismatch,
    Suspended,
    SystemFault,
    UnexpectedReply,
    UnknownEnvelope,
    UserListError,
)
from entegrator.gib.ports import Caller, DocumentReceiver, ReceiveResult
from entegrator.gib.server import ServerConfig, efatura_app, efatura_routes
from entegrator.gib.soap import SoapVersion
from entegrator.gib.transport import (
    Exchange,
    ExchangeHook,
    HttpTransportConfig,
    HttpxTransport,
    Reply,
    Transport,
)

__all__ = [
    "GET_APPLICATION_RESPONSE",
    "MERKEZ_PATH",
    "SEND_DOCUMENT",
    "AlreadyReceived",
    "ArchiveFailure",
    "Caller",
    "DocumentReceiver",
    "Exchange",
    "ExchangeHook",
    "FaultAction",
    "FaultCode",
    "GibClient",
    "GibClientConfig",
    "GibError",
    "GibFault",
    "HashMismatch",
    "HttpTransportConfig",
    "HttpxTransport",
    "InvalidFileName",
    "MalformedMessage",
    "ProtocolError",
    "QueueFailure",
    "ReceiveResult",
    "Reply",
    "RequestRejected",
    "ReturnedHashMismatch",
    "SendResult",
    "ServerConfig",
    "SoapVersion",
    "Suspended",
    "SystemFault",
    "Transport",
    "UnexpectedReply",
    "UnknownEnvelope",
    "UserListError",
    "efatura_app",
    "efatura_routes",
    "is_valid_file_name",
]
