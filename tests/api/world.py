"""Documents for API tests: an incoming TICARIFATURA delivered through the real inbound path
(signed envelope → Receiver → inbound job), and outgoing invoices submitted through core."""

from __future__ import annotations

import itertools
from typing import Any

from entegrator.core import archive, outbound
from entegrator.core.context import Caller
from entegrator.core.wiring import Integrator
from entegrator.store.archive.search import ArchiveQuery
from entegrator.ubl import load_invoice
from entegrator.ubl.identifiers import ettn
from tests.api.conftest import Tenant, example
from tests.core.inbound.support import deliver, envelope_zip, invoice_bytes, run_jobs, seal_for
from tests.core.support import SUPPLIER, CorePki

__all__ = ["archive_entry", "receive_invoice", "submit", "swapped_example"]

_NUMBERS = itertools.count(1)


def receive_invoice(integrator: Integrator, pki: CorePki, customer: Tenant, *,
                    profile: str = "TICARIFATURA") -> tuple[int, str]:
    """Deliver a signed invoice from SUPPLIER to ``customer``; its IN document id and ETTN."""
    uuid = ettn.new()
    seal = seal_for(pki, SUPPLIER.vkn, SUPPLIER.title)
    data = invoice_bytes(profile=profile, number=next(_NUMBERS), uuid=uuid, seal=seal)
    deliver(integrator, envelope_zip([data]))
    run_jobs(integrator)
    caller = customer.seeded.caller
    from entegrator.core import documents

    found = documents.find_document(integrator, caller, ettn=uuid)
    return found.id, uuid


def swapped_example(**changes: Any) -> dict[str, Any]:
    """examples/01 with the parties swapped: the customer (9205121120) issues it."""
    spec = example(**changes)
    spec["supplier"], spec["customer"] = spec["customer"], spec["supplier"]
    spec["supplier"].pop("alias", None)
    spec["customer"].pop("alias", None)
    return spec


def submit(integrator: Integrator, caller: Caller, spec: dict[str, Any], *,
           draft: bool = False) -> int:
    """Submit ``spec`` as ``caller`` (channel api); the document id."""
    result = outbound.submit(integrator, caller, load_invoice(spec), draft=draft, channel="api")
    return result.document_id


def archive_entry(integrator: Integrator, tenant: Tenant) -> int:
    """The id of one of ``tenant``'s archive entries."""
    page = archive.search_documents(integrator, tenant.seeded.caller, ArchiveQuery(), limit=1)
    return page.entries[0].ref.id
