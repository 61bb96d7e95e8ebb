"""Accepting outgoing invoices: validate, route, store them queued (or as drafts), queue the work.

:func:`submit` takes one invoice, :func:`submit_many` a batch (an ERP's ``SendInvoice`` with up
to 100 invoices): all are accepted or none (İzibiz semantics, integrator-api.md §4.5). The
CPU work — build or parse (:mod:`.source`), GİB's XSD and schematron — runs before the
transaction; then ONE transaction checks the taxpayer, idempotency keys, duplicates and the
receivers' aliases, inserts the documents (state QUEUED, or DRAFT), their content, their first
history row and an audit entry, and enqueues an ``outbound.prepare`` job. A crash before the
commit leaves nothing; after it the invoices are queued and the job will number, sign and send
them. Numbers are not assigned here: that happens in the transaction that also signs and
packs them (:mod:`.prepare`), so a number is never given to an invoice that is not kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from entegrator.core.context import Caller
from entegrator.core.errors import DuplicateDocument, ProfileRuleViolation
from entegrator.core.outbound import history
from entegrator.core.outbound.jobkinds import PREPARE
from entegrator.core.outbound.routing import Route, resolve
from entegrator.core.outbound.source import Submission, materialize
from entegrator.core.permissions import Permission
from entegrator.core.states import DocumentState
from entegrator.errors import NotFound
from entegrator.store import audit, jobs
from entegrator.store.domain import document_contents, documents, invoice_series, taxpayers
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import Invoice
from entegrator.ubl.identifiers import alias as alias_id
from entegrator.ubl.identifiers import invoice_id

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = [
    "Request",
    "SubmitResult",
    "TaxpayerFacts",
    "accept",
    "check_duplicates",
    "document_facts",
    "enqueue_prepare",
    "named_alias",
    "resolve_series",
    "submit",
    "submit_many",
    "taxpayer_row",
    "validate",
]

_d = documents.c


@dataclass(frozen=True, slots=True)
class Request:
    """One invoice of a :func:`submit_many` call and its options.

    ``series``: 3-character series to number from (default: the taxpayer's default series
    when the invoice has no number). ``receiver_alias``: the customer's PK alias (default:
    its default postbox). ``idempotency_key``: the same key with the same content returns
    the first result; with other content it is refused.
    """

    source: Invoice | bytes
    series: str | None = None
    receiver_alias: str | None = None
    idempotency_key: str | None = None
    client_reference: str | None = None


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """What the caller gets back: the document, its ETTN, number (once known) and state.

    ``replayed`` is True when an idempotency key matched an earlier submission.
    """

    document_id: int
    ettn: str
    number: str | None
    state: DocumentState
    replayed: bool = False


def submit(
    integrator: Integrator,
    caller: Caller,
    source: Invoice | bytes,
    *,
    series: str | None = None,
    receiver_alias: str | None = None,
    draft: bool = False,
    idempotency_key: str | None = None,
    client_reference: str | None = None,
    channel: str,
) -> SubmitResult:
    """Accept one outgoing invoice (model or UBL-TR XML); see the module docstring.

    Raises :class:`~entegrator.validation.DocumentInvalid` (XSD/schematron, with GİB's
    code), :class:`~entegrator.ubl.InvoiceInvalid`, :class:`~entegrator.core.errors.\
NotRegisteredUser`, :class:`~entegrator.core.errors.DuplicateDocument`,
    :class:`~entegrator.core.errors.ProfileRuleViolation` or
    :class:`~entegrator.errors.PermissionDenied`.
    """
    request = Request(source, series, receiver_alias, idempotency_key, client_reference)
    return submit_many(integrator, caller, [request], draft=draft, channel=channel)[0]


def submit_many(
    integrator: Integrator,
    caller: Caller,
    requests: Sequence[Request],
    *,
    draft: bool = False,
    channel: str,
) -> list[SubmitResult]:
    """Accept a batch of invoices, all or none; results in request order.

    An error raised for one invoice carries a note naming its position in the batch.
    """
    caller.require(Permission.SEND)
    if not requests:
        return []
    submissions = []
    for index, request in enumerate(requests):
        with _position(index, len(requests)):
            submission = materialize(
                request.source, numbered_by_series=request.series is not None
            )
            if not draft:
                validate(integrator, submission)
            submissions.append(submission)
    with integrator.db.transaction() as conn:
        return accept(
            conn, integrator, caller, requests, submissions, draft=draft, channel=channel
        )


def validate(integrator: Integrator, submission: Submission) -> None:
    """GİB's XSD and schematron plus entegrator's rules; raises DocumentInvalid."""
    integrator.validator.validate(submission.xml).raise_for_errors()


def accept(
    conn: Connection,
    integrator: Integrator,
    caller: Caller,
    requests: Sequence[Request],
    submissions: Sequence[Submission],
    *,
    draft: bool,
    channel: str,
) -> list[SubmitResult]:
    """The database half of :func:`submit_many`, in the caller's transaction."""
    caller.require(Permission.SEND)
    scope = caller.scope(conn)
    taxpayer = taxpayer_row(conn, caller.tenant_id)
    replays = _replays(scope, requests, submissions)
    fresh = [i for i in range(len(requests)) if i not in replays]
    series: dict[int, str | None] = {}
    for i in fresh:
        with _position(i, len(requests)):
            series[i] = resolve_series(scope, taxpayer, requests[i], submissions[i], draft=draft)
    check_duplicates(scope, [submissions[i] for i in fresh])
    aliases: dict[int, str | None] = {}
    named = {i: named_alias(requests[i], submissions[i]) for i in fresh}
    if draft:
        aliases = named
    else:
        routes = [Route(submissions[i].profile, submissions[i].customer_vkn_tckn, named[i])
                  for i in fresh]
        aliases = dict(zip(fresh, resolve(conn, routes), strict=True))
    state = DocumentState.DRAFT if draft else DocumentState.QUEUED
    now = integrator.clock.now()
    rows = [
        _document_row(requests[i], submissions[i], series=series[i], receiver_alias=aliases[i],
                      state=state, now=now, channel=channel)
        for i in fresh
    ]
    ids = _insert(scope, rows)
    if ids:
        scope.execute(
            scope.insert(document_contents),
            [
                {"document_id": doc_id, **_content(submissions[i], draft=draft),
                 "updated_at": now}
                for doc_id, i in zip(ids, fresh, strict=True)
            ],
        )
        history.record_events(
            scope, [(doc_id, None) for doc_id in ids], state, at=now, events=integrator.events,
            message="taslak kaydedildi" if draft else "gönderim için sıraya alındı",
        )
        audit.record(
            conn, caller.actor, "invoice.draft" if draft else "invoice.submit",
            tenant_id=caller.tenant_id, object_type="document",
            object_id=ids[0] if len(ids) == 1 else None,
            details={"documents": ids, "ettn": [submissions[i].ettn for i in fresh]},
            clock=integrator.clock,
        )
        if not draft:
            enqueue_prepare(conn, integrator, caller.tenant_id)
    results: dict[int, SubmitResult] = dict(replays)
    for doc_id, i in zip(ids, fresh, strict=True):
        results[i] = SubmitResult(doc_id, submissions[i].ettn, submissions[i].number, state)
    return [results[i] for i in range(len(requests))]


def enqueue_prepare(conn: Connection, integrator: Integrator, tenant_id: int) -> None:
    """Queue a prepare run for the taxpayer (in the caller's transaction)."""
    jobs.enqueue(conn, PREPARE, {"tenant_id": tenant_id}, clock=integrator.clock)


@dataclass(frozen=True, slots=True)
class TaxpayerFacts:
    """What outbound needs of the issuing taxpayer."""

    id: int
    vkn_tckn: str
    title: str
    default_series: str | None
    active: bool


def taxpayer_row(conn: Connection, tenant_id: int) -> TaxpayerFacts:
    """The taxpayer ``tenant_id``; NotFound when it does not exist."""
    t = taxpayers.c
    row = conn.execute(
        select(t.id, t.vkn_tckn, t.title, t.default_series, t.active).where(t.id == tenant_id)
    ).first()
    if row is None:
        raise NotFound(f"mükellef bulunamadı: {tenant_id}")
    return TaxpayerFacts(*row)


class _position:
    """Adds "n. fatura" to an error raised for one invoice of a batch."""

    def __init__(self, index: int, size: int) -> None:
        self._index, self._size = index, size

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, _tb: Any) -> None:
        if error is not None and self._size > 1:
            error.add_note(f"toplu gönderimin {self._index + 1}. faturası")


def _replays(
    scope: TenantScope, requests: Sequence[Request], submissions: Sequence[Submission]
) -> dict[int, SubmitResult]:
    keys = {r.idempotency_key: i for i, r in enumerate(requests) if r.idempotency_key}
    if not keys:
        return {}
    if len(keys) != sum(1 for r in requests if r.idempotency_key):
        raise DuplicateDocument("Aynı istekte aynı tekrar anahtarı (idempotency key) iki kez var")
    found = scope.execute(
        scope.select(documents, _d.id, _d.ettn, _d.number, _d.state, _d.source_sha256,
                     _d.idempotency_key).where(_d.idempotency_key.in_(list(keys)))
    ).all()
    replays: dict[int, SubmitResult] = {}
    for row in found:
        index = keys[row.idempotency_key]
        if row.source_sha256 != submissions[index].source_sha256:
            raise DuplicateDocument(
                f"Bu tekrar anahtarı ({row.idempotency_key}) başka içerikli bir fatura için "
                f"kullanılmış (ETTN {row.ettn})",
                ettn=row.ettn, number=row.number,
            )
        replays[index] = SubmitResult(
            row.id, row.ettn, row.number, DocumentState(row.state), replayed=True
        )
    return replays


def resolve_series(
    scope: TenantScope, taxpayer: TaxpayerFacts, request: Request, submission: Submission,
    *, draft: bool,
) -> str | None:
    """The series an unnumbered invoice will be numbered from (None: the caller's number, or
    a draft without a series yet); checks the supplier and a caller-given number."""
    if submission.supplier_vkn_tckn != taxpayer.vkn_tckn:
        raise ProfileRuleViolation(
            f"Faturanın satıcısı ({submission.supplier_vkn_tckn}) bu mükellef "
            f"({taxpayer.vkn_tckn}) değil"
        )
    if not taxpayer.active:
        raise ProfileRuleViolation(f"Mükellef {taxpayer.vkn_tckn} etkin değil")
    if submission.number is not None:
        prefix, year, _ = invoice_id.split(submission.number)
        managed = scope.execute(
            scope.select(invoice_series, invoice_series.c.id).where(
                invoice_series.c.prefix == prefix, invoice_series.c.year == year
            )
        ).first()
        if managed is not None:
            raise ProfileRuleViolation(
                f"{prefix} serisinin {year} numaraları entegratör tarafından veriliyor; "
                f"{submission.number} numarasını siz veremezsiniz (numarasız gönderin)"
            )
        return None
    if request.series is not None:
        return invoice_id.validate_prefix(request.series)
    if draft:
        return None
    if taxpayer.default_series is not None:
        return taxpayer.default_series
    raise ProfileRuleViolation(
        "Faturanın numarası yok, seri de verilmedi ve mükellefin varsayılan serisi tanımlı değil"
    )


def named_alias(request: Request, submission: Submission) -> str | None:
    """The PK alias the caller chose: the request's, else the document's customer alias."""
    named = request.receiver_alias or submission.customer_alias
    return None if named is None else alias_id.validate(named)


def check_duplicates(
    scope: TenantScope, submissions: Sequence[Submission], *, exclude: int | None = None
) -> None:
    """Refuse ETTNs or numbers used twice in the batch or already used by the taxpayer."""
    ettns = [s.ettn for s in submissions]
    numbers = [s.number for s in submissions if s.number is not None]
    if len(set(ettns)) != len(ettns):
        raise DuplicateDocument("Aynı istekte aynı ETTN iki kez var")
    if len(set(numbers)) != len(numbers):
        raise DuplicateDocument("Aynı istekte aynı fatura numarası iki kez var")
    if not submissions:
        return
    clash = scope.execute(
        scope.select(documents, _d.ettn, _d.number).where(
            _d.direction == "OUT",
            (_d.ettn.in_(ettns) | _d.number.in_(numbers)) if numbers else _d.ettn.in_(ettns),
            *(() if exclude is None else (_d.id != exclude,)),
        ).limit(1)
    ).first()
    if clash is not None:
        raise DuplicateDocument(
            f"Bu fatura daha önce gönderilmiş ya da kaydedilmiş (ETTN {clash.ettn}, numara "
            f"{clash.number or '-'})",
            ettn=clash.ettn, number=clash.number,
        )


def document_facts(submission: Submission) -> dict[str, Any]:
    """The ``documents`` columns that come from the invoice itself."""
    return {
        "ettn": submission.ettn,
        "number": submission.number,
        "profile": submission.profile,
        "invoice_type": submission.invoice_type,
        "issue_date": submission.issue_date,
        "currency": submission.currency,
        "payable_amount": submission.payable_amount,
        "tax_exclusive_amount": submission.tax_exclusive_amount,
        "tax_inclusive_amount": submission.tax_inclusive_amount,
        "counterpart_vkn_tckn": submission.customer_vkn_tckn,
        "counterpart_name": _clip(submission.customer_name, 300),
        "source_sha256": submission.source_sha256,
    }


def _document_row(
    request: Request, submission: Submission, *, series: str | None,
    receiver_alias: str | None, state: DocumentState, now: Any, channel: str,
) -> dict[str, Any]:
    return {
        **document_facts(submission),
        "direction": "OUT",
        "series": series,
        "receiver_alias": receiver_alias,
        "state": state.value,
        "state_changed_at": now,
        "idempotency_key": request.idempotency_key,
        "client_reference": request.client_reference,
        "channel": channel,
        "created_at": now,
        "updated_at": now,
    }


def _content(submission: Submission, *, draft: bool) -> dict[str, Any]:
    """What ``document_contents`` keeps: a draft's editable form, else the XML to sign."""
    if draft:
        return {"kind": submission.content_kind, "content": submission.content}
    return {"kind": "xml", "content": submission.xml}


def _clip(value: str | None, size: int) -> str | None:
    return None if value is None else value[:size]


def _insert(scope: TenantScope, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    stmt = scope.insert(documents).returning(_d.id, sort_by_parameter_order=True)
    try:
        return [row.id for row in scope.execute(stmt, rows)]
    except IntegrityError as exc:
        raise DuplicateDocument(
            "Bu fatura (ETTN, numara ya da tekrar anahtarı) aynı anda başka bir istekle kaydedildi"
        ) from exc
