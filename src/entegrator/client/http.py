"""The REST API client: one :class:`EntegratorClient` per base URL and credential, on httpx.

Authenticate with an API key (``api_key="<key id>.<secret>"``) or as an OAuth2 client
(``client_id`` + ``client_secret``; the access token is fetched on first use and again when
it is about to expire or the server refuses it). Every refused request raises
:class:`~entegrator.client.errors.ApiError` carrying the server's problem document.
Documents are named by their id, ETTN or number (``ref``).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import httpx

from entegrator.client.errors import ApiError
from entegrator.client.models import (
    Document,
    GibUser,
    HistoryStep,
    Page,
    ResponseSent,
    Submitted,
)

__all__ = ["EntegratorClient"]

Format = Literal["xml", "html", "pdf"]
_ACCEPT = {"xml": "application/xml", "html": "text/html", "pdf": "application/pdf"}
InvoiceSource = Mapping[str, Any] | bytes


class EntegratorClient:
    """Typed access to ``/api/v1`` (see the module docstring)."""

    def __init__(self, base_url: str, *, api_key: str | None = None,
                 client_id: str | None = None, client_secret: str | None = None,
                 timeout: float = 60.0, transport: httpx.BaseTransport | None = None) -> None:
        if (api_key is None) == (client_id is None or client_secret is None):
            raise ValueError("give api_key, or client_id and client_secret")
        self._http = httpx.Client(base_url=base_url.rstrip("/") + "/api/v1", timeout=timeout,
                                  transport=transport, headers={"User-Agent": "entegrator-client"})
        self._api_key = api_key
        self._client = (client_id, client_secret)
        self._token: tuple[str, float] | None = None

    def __enter__(self) -> EntegratorClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    # --- sending ---------------------------------------------------------------------------

    def send(self, invoice: InvoiceSource, *, series: str | None = None,
             receiver_alias: str | None = None, client_reference: str | None = None,
             idempotency_key: str | None = None, draft: bool = False) -> Submitted:
        """Send one invoice: a JSON model (mapping) or UBL-TR XML (bytes)."""
        options = {"series": series, "receiver_alias": receiver_alias,
                   "client_reference": client_reference}
        path = "/drafts" if draft else "/invoices"
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        if isinstance(invoice, bytes):
            params = {k: v for k, v in options.items() if v is not None}
            data = self._call("POST", path, content=invoice, params=params, headers={
                **headers, "Content-Type": "application/xml"})
        else:
            body = {"invoice": dict(invoice), **{k: v for k, v in options.items() if v}}
            data = self._call("POST", path, json=body, headers=headers)
        return Submitted.of(data)

    def send_batch(self, invoices: Sequence[InvoiceSource], *, draft: bool = False,
                   idempotency_key: str | None = None) -> list[Submitted]:
        """Send up to 100 invoices at once: all are accepted or none."""
        items = [{"xml": base64.b64encode(i).decode("ascii")} if isinstance(i, bytes)
                 else {"invoice": dict(i)} for i in invoices]
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        data = self._call("POST", "/invoices/batch", json={"invoices": items, "draft": draft},
                          headers=headers)
        return [Submitted.of(item) for item in data["items"]]

    def send_draft(self, ref: str | int) -> Submitted:
        """Validate and queue a draft."""
        return Submitted.of(self._call("POST", f"/drafts/{ref}/send"))

    def cancel_draft(self, ref: str | int) -> Submitted:
        """Cancel a draft."""
        return Submitted.of(self._call("DELETE", f"/drafts/{ref}"))

    def resend(self, ref: str | int) -> Submitted:
        """Send a failed invoice again."""
        return Submitted.of(self._call("POST", f"/invoices/{ref}/resend"))

    # --- reading ---------------------------------------------------------------------------

    def list_invoices(self, *, direction: Literal["IN", "OUT"] | None = None,
                      states: Iterable[str] = (), unread: bool | None = None,
                      limit: int = 100, cursor: str | None = None,
                      **filters: str) -> Page:
        """One page of invoices (newest first); filters as the API names them."""
        params: list[tuple[str, str]] = [("limit", str(limit))]
        params += [("state", s) for s in states]
        for name, value in {"direction": direction, "cursor": cursor, **filters}.items():
            if value is not None:
                params.append((name, str(value)))
        if unread is not None:
            params.append(("unread", "true" if unread else "false"))
        data = self._call("GET", "/invoices", params=params)
        return Page(tuple(Document.of(d) for d in data["items"]), data.get("next_cursor"))

    def iter_invoices(self, **filters: Any) -> Iterator[Document]:
        """Every invoice matching ``filters``, page after page."""
        cursor = None
        while True:
            page = self.list_invoices(cursor=cursor, **filters)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def get(self, ref: str | int) -> Document:
        """One invoice's facts and status."""
        return Document.of(self._call("GET", f"/invoices/{ref}"))

    def download(self, ref: str | int, fmt: Format = "xml", to: Path | None = None) -> bytes:
        """The invoice as UBL-TR XML, HTML or PDF (written to ``to`` as well, if given)."""
        data = self._call("GET", f"/invoices/{ref}", headers={"Accept": _ACCEPT[fmt]},
                          raw=True)
        if to is not None:
            to.write_bytes(data)
        return data

    def history(self, ref: str | int) -> list[HistoryStep]:
        """The status history, oldest first."""
        steps = self._call("GET", f"/invoices/{ref}/history")
        return [HistoryStep(h["at"], h["state"], h["status"], h.get("gib_status_code"),
                            h.get("message")) for h in steps]

    # --- acting on received invoices -------------------------------------------------------

    def respond(self, ref: str | int, code: Literal["KABUL", "RED"],
                reason: str | None = None) -> ResponseSent:
        """Accept (KABUL) or reject (RED, with a reason) a received commercial invoice."""
        data = self._call("POST", f"/invoices/{ref}/response",
                          json={"code": code, "reason": reason})
        return ResponseSent(int(data["document_id"]), data["response_uuid"], data["state"])

    def create_return(self, ref: str | int, *, lines: Mapping[str, str | None] | None = None,
                      note: str | None = None) -> Submitted:
        """A draft return invoice for a received one (``lines``: line id → quantity/None)."""
        body: dict[str, Any] = {"note": note}
        if lines is not None:
            body["lines"] = [{"line_id": k, "quantity": v} for k, v in lines.items()]
        return Submitted.of(self._call("POST", f"/invoices/{ref}/return", json=body))

    def mark(self, ids: Iterable[int], *, read: bool = True) -> int:
        """Set or clear the read flag; how many documents changed."""
        data = self._call("POST", "/invoices/mark", json={"ids": list(ids), "read": read})
        return int(data["changed"])

    # --- directory, identity, archive -------------------------------------------------------

    def check_user(self, identifier: str) -> GibUser | None:
        """The registered e-Fatura user with this VKN/TCKN, or None (issue e-Arşiv then)."""
        try:
            return GibUser.of(self._call("GET", f"/gib-users/{identifier}"))
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def search_users(self, text: str, *, limit: int = 20) -> list[GibUser]:
        """Registered users by title words or VKN prefix."""
        found = self._call("GET", "/gib-users", params={"q": text, "limit": limit})
        return [GibUser.of(u) for u in found]

    def me(self) -> dict[str, Any]:
        """The taxpayer and role of this credential."""
        return dict(self._call("GET", "/me"))

    def archive_search(self, **filters: Any) -> dict[str, Any]:
        """One page of archive entries (``items``, ``next_cursor``)."""
        return dict(self._call("GET", "/archive", params=filters))

    def archive_export(self, to: Path, **filters: Any) -> Path:
        """Download matching archived documents as a zip into ``to``."""
        to.write_bytes(self._call("POST", "/archive/export", json=filters, raw=True))
        return to

    # --- plumbing -----------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, raw: bool = False, retry_auth: bool = True,
              headers: Mapping[str, str] | None = None, **kwargs: Any) -> Any:
        response = self._http.request(method, path, headers={**self._auth(), **(headers or {})},
                                      **kwargs)
        if response.status_code == 401 and self._api_key is None and retry_auth:
            self._token = None
            return self._call(method, path, raw=raw, retry_auth=False, headers=headers, **kwargs)
        if response.status_code >= 400:
            raise ApiError(response.status_code, _problem(response))
        return response.content if raw else response.json()

    def _auth(self) -> dict[str, str]:
        if self._api_key is not None:
            return {"X-API-Key": self._api_key}
        if self._token is None or self._token[1] <= time.monotonic():
            client_id, secret = self._client
            response = self._http.post("/oauth/token", data={
                "grant_type": "client_credentials", "client_id": client_id or "",
                "client_secret": secret or ""})
            if response.status_code >= 400:
                raise ApiError(response.status_code, _problem(response))
            data = response.json()
            lifetime = max(float(data.get("expires_in", 60)) - 30.0, 5.0)
            self._token = (str(data["access_token"]), time.monotonic() + lifetime)
        return {"Authorization": f"Bearer {self._token[0]}"}


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {"title": f"HTTP {response.status_code}", "detail": response.text[:500]}
    return data if isinstance(data, dict) else {"detail": str(data)[:500]}
