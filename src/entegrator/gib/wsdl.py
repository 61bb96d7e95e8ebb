"""entegrator's own WSDL of GİB's EFatura service (package resource ``efatura.wsdl``).

The document follows GİB's contract (gib-protocol.md §1.1); only ``soap12:address`` differs,
and :func:`wsdl_for` rewrites it to wherever the service is being served.
"""

from __future__ import annotations

import copy
from functools import cache
from importlib.resources import files

from lxml import etree

from entegrator.ubl import ns
from entegrator.ubl.xml import parse, to_bytes

__all__ = ["wsdl_for", "wsdl_template"]

_ADDRESS = (f"{{{ns.WSDL}}}service/{{{ns.WSDL}}}port/{{{ns.WSDL_SOAP12}}}address")


@cache
def wsdl_template() -> etree._Element:
    """The parsed WSDL resource (read once per process; never modify the returned tree)."""
    return parse(files("entegrator.gib").joinpath("efatura.wsdl").read_bytes())


def wsdl_for(location: str) -> bytes:
    """The WSDL with ``soap12:address/@location`` set to ``location``."""
    root = copy.deepcopy(wsdl_template())
    address = root.find(_ADDRESS)
    if address is None:  # the resource is ours; this only guards against editing mistakes
        raise RuntimeError("efatura.wsdl has no soap12:address")
    address.set("location", location)
    return to_bytes(root)
