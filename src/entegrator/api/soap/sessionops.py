"""Login and Logout, the same in both families (integrator-api.md §4.1–4.2).

The credentials are a portal user's; the session works on every endpoint of both families.
Login ignores the header's SESSION_ID (clients send ``-1``, ``0`` or nothing) and answers a
JWT-shaped id that expires after 8 hours (:mod:`entegrator.core.sessions`). Bad credentials
are İzibiz 10002 / EDM 2005, an expired or unknown session 10004 (EDM: "Aktif session
bulunamadı") — clients log in again on these.
"""

from __future__ import annotations

from lxml import etree

from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.xmlwrite import element

__all__ = ["login", "login_with_return", "logout"]


def _open(call: Call) -> str:
    username = xmlread.require(call.request, "USER_NAME")
    password = xmlread.child(call.request, "PASSWORD")
    secret = password.text if password is not None and password.text else ""
    session = call.services.sessions.login(username, secret, call.origin)
    call.session = session
    return session.token


def login(call: Call) -> list[etree._Element]:
    """Login answered with ``SESSION_ID`` only (AuthenticationWS, EDM)."""
    return [element("SESSION_ID", _open(call))]


def login_with_return(call: Call) -> list[etree._Element]:
    """EInvoiceWS/EFaturaOIB Login: ``REQUEST_RETURN``, ``SESSION_ID``."""
    token = _open(call)
    return [call.request_return(), element("SESSION_ID", token)]


def logout(call: Call) -> list[etree._Element]:
    """Logout: the session ends at once; ``REQUEST_RETURN``."""
    if call.session is not None:
        call.services.sessions.revoke(call.session.token, call.caller.actor)
    return [call.request_return()]
