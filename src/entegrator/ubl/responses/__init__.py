"""GİB application responses: business (KABUL / RED) and system (S_APR) responses.

``model`` holds the frozen dataclasses and the factories, ``build`` writes XML (checking
GİB's rules first), ``parse`` reads XML leniently. The common names are re-exported here.
"""

from __future__ import annotations

from entegrator.ubl.responses.build import problems, to_element, to_xml
from entegrator.ubl.responses.errors import ResponseError
from entegrator.ubl.responses.model import (
    Address,
    BusinessResponse,
    DocumentReference,
    LineResponse,
    ResponseParty,
    SystemResponse,
    new_business_response,
    new_system_response,
)
from entegrator.ubl.responses.parse import from_element, parse

__all__ = [
    "Address",
    "BusinessResponse",
    "DocumentReference",
    "LineResponse",
    "ResponseError",
    "ResponseParty",
    "SystemResponse",
    "from_element",
    "new_business_response",
    "new_system_response",
    "parse",
    "problems",
    "to_element",
    "to_xml",
]
