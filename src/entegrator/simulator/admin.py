"""The simulator's admin API (JSON under ``/admin``), for operators and test suites.

==========================================  ==================================================
``GET    /admin/status``                    time factor, clock, job counts
``GET    /admin/integrators``               registered integrators
``POST   /admin/integrators``               register/update ``{id, name, vkn, endpoint,
                                            networks?}``
``DELETE /admin/integrators/{id}``          unregister
``GET    /admin/users[?vkn=&since=]``       the user list with every alias
``POST   /admin/users``                     ``{vkn, title, type?, integrator, gb: [], pk: []}``
``DELETE /admin/users/{vkn}/aliases``       close aliases ``?alias=&role=&integrator=``
``GET    /admin/envelopes[?limit=]``        newest envelopes
``GET    /admin/envelopes/{id}``            one envelope with its status history
``GET    /admin/faults``                    active fault rules
``POST   /admin/faults``                    add a rule (:class:`~.faults.FaultRule` fields)
``DELETE /admin/faults[/{id}]``             remove one rule, or all
``GET    /admin/portal/pki``                the portal users' CA certificates (PEM)
``POST   /admin/portal/{vkn}/send``         ``{receiver_vkn, receiver_alias, envelopes?,
                                            invoices?, profile?, invoice_type?,
                                            billing_reference?}`` → envelope ids
``POST   /admin/portal/{vkn}/respond``      ``{ettn, code: KABUL|RED, reason?}``
``GET    /admin/portal/{vkn}/inbox``        what the portal user received
``POST   /admin/gib/system-response``       test plan §7 b ``{integrator, vkn?, alias?}``
``POST   /admin/gib/invalid-envelope``      test plan §7 c ``{vkn, alias}``
``POST   /admin/gib/faulty-requests``       test plan §5.1.2 b ``{integrator}`` → the faults
                                            it answered to a wrong hash / file name
==========================================  ==================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import desc, select
from starlette.responses import Response
from starlette.routing import Route

from entegrator.errors import NotFound
from entegrator.simulator import gibactions, portal, records, users
from entegrator.simulator.adminapi import admin_route, field, optional
from entegrator.simulator.config import IntegratorConfig, check_integrator_id
from entegrator.simulator.faults import FaultRule
from entegrator.simulator.runtime import Runtime
from entegrator.simulator.tables import envelopes
from entegrator.store import jobs as store_jobs
from entegrator.ubl.identifiers import party

__all__ = ["admin_routes", "user_to_dict"]

Params = Mapping[str, Any]
Query = Mapping[str, str]


def user_to_dict(entry: users.UserEntry) -> dict[str, Any]:
    """JSON form of a user-list entry."""
    return {
        "vkn": entry.identifier, "title": entry.title, "type": entry.type,
        "account_type": entry.account_type,
        "first_created_at": entry.first_created_at.isoformat(),
        "aliases": [{"role": a.role, "name": a.name, "integrator": a.owner,
                     "document_type": a.document_type, "created_at": a.created_at.isoformat(),
                     "deleted_at": a.deleted_at.isoformat() if a.deleted_at else None}
                    for a in entry.aliases],
    }


class _Admin:
    """The endpoint functions, sharing one runtime."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def status(self, params: Params, query: Query, body: Any) -> Any:
        with self.rt.db.transaction(read_only=True) as conn:
            counts = store_jobs.count_by_state(conn)
        return {"time_factor": self.rt.config.schedule.time_factor,
                "now": self.rt.now().isoformat(),
                "jobs": {state.value: count for state, count in counts.items()},
                "integrators": len(self.rt.directory.all())}

    def integrators(self, params: Params, query: Query, body: Any) -> Any:
        return [{"id": i.id, "name": i.name, "vkn": i.vkn, "endpoint": i.endpoint,
                 "networks": list(i.networks)} for i in self.rt.directory.all()]

    def add_integrator(self, params: Params, query: Query, body: Any) -> Any:
        networks = optional(body, "networks", list)
        integrator = IntegratorConfig(
            id=check_integrator_id(field(body, "id")), name=field(body, "name"),
            vkn=field(body, "vkn"), endpoint=field(body, "endpoint"),
            **({"networks": tuple(networks)} if networks else {}))
        self.rt.directory.add(integrator, now=self.rt.now())
        return {"id": integrator.id}

    def remove_integrator(self, params: Params, query: Query, body: Any) -> Any:
        return {"removed": self.rt.directory.remove(params["id"])}

    def users(self, params: Params, query: Query, body: Any) -> Any:
        since = datetime.fromisoformat(query["since"]) if query.get("since") else None
        with self.rt.db.transaction(read_only=True) as conn:
            found = users.list_users(conn, identifier=query.get("vkn"), since=since)
        return [user_to_dict(entry) for entry in found]

    def add_user(self, params: Params, query: Query, body: Any) -> Any:
        owner = field(body, "integrator")
        self.rt.directory.get(owner)
        vkn = party.validate(field(body, "vkn"), checksum=self.rt.config.checks.strict_checksums)
        with self.rt.db.transaction() as conn:
            opened = users.register(
                conn, vkn, title=field(body, "title"), type=optional(body, "type", str, "OZEL"),
                owner=owner, now=self.rt.now(), gb=optional(body, "gb", list, []),
                pk=optional(body, "pk", list, []))
        return {"vkn": vkn, "opened": opened}

    def remove_aliases(self, params: Params, query: Query, body: Any) -> Any:
        with self.rt.db.transaction() as conn:
            closed = users.remove_aliases(conn, params["vkn"], now=self.rt.now(),
                                          owner=query.get("integrator"), role=query.get("role"),
                                          name=query.get("alias"))
        return {"closed": closed}

    def envelopes(self, params: Params, query: Query, body: Any) -> Any:
        limit = min(int(query.get("limit", "100")), 1000)
        with self.rt.db.transaction(read_only=True) as conn:
            rows = conn.execute(select(envelopes.c.envelope_id)
                                .order_by(desc(envelopes.c.id)).limit(limit)).scalars().all()
        return [self.envelope({"id": envelope_id}, {}, None) for envelope_id in rows]

    def envelope(self, params: Params, query: Query, body: Any) -> Any:
        with self.rt.db.transaction(read_only=True) as conn:
            record = records.by_envelope_id(conn, params["id"])
            if record is None:
                raise NotFound(f"zarf bulunamadı: {params['id']}")
            history = records.envelope_events(conn, record.id)
        return {**record.to_dict(), "events": [
            {"code": e.code, "at": e.at.isoformat(), "note": e.note} for e in history]}

    def faults(self, params: Params, query: Query, body: Any) -> Any:
        return [{"id": rule_id, **rule.to_dict()} for rule_id, rule in self.rt.faults.rules()]

    def add_fault(self, params: Params, query: Query, body: Any) -> Any:
        if not isinstance(body, dict):
            raise ValueError("hata kuralı bir JSON nesnesi olmalı")
        return {"id": self.rt.faults.add(FaultRule.from_mapping(body))}

    def remove_fault(self, params: Params, query: Query, body: Any) -> Any:
        if "id" in params:
            return {"removed": self.rt.faults.remove(int(params["id"]))}
        self.rt.faults.clear()
        return {"removed": True}

    def pki(self, params: Params, query: Query, body: Any) -> Any:
        return Response(self.rt.portal.anchors_pem(), media_type="application/x-pem-file")

    def portal_send(self, params: Params, query: Query, body: Any) -> Any:
        sent = portal.send_invoices(
            self.rt, params["vkn"], receiver_vkn=field(body, "receiver_vkn"),
            receiver_alias=field(body, "receiver_alias"),
            envelopes=optional(body, "envelopes", int, 1),
            invoices=optional(body, "invoices", int, 1),
            profile=optional(body, "profile", str, "TICARIFATURA"),
            invoice_type=optional(body, "invoice_type", str, "SATIS"),
            billing_reference=optional(body, "billing_reference"))
        return {"envelopes": sent}

    def portal_respond(self, params: Params, query: Query, body: Any) -> Any:
        code = field(body, "code")
        if code not in ("KABUL", "RED"):
            raise ValueError("code KABUL ya da RED olmalı")
        envelope_id = portal.respond(self.rt, params["vkn"], field(body, "ettn"), code,
                                     optional(body, "reason"))
        return {"envelope": envelope_id}

    def portal_inbox(self, params: Params, query: Query, body: Any) -> Any:
        return portal.inbox(self.rt, params["vkn"])

    def gib_response(self, params: Params, query: Query, body: Any) -> Any:
        return {"envelope": gibactions.send_unreferenced_response(
            self.rt, field(body, "integrator"), vkn=optional(body, "vkn"),
            alias=optional(body, "alias"))}

    def gib_probe(self, params: Params, query: Query, body: Any) -> Any:
        return gibactions.probe_faults(self.rt, field(body, "integrator"))

    def gib_invalid(self, params: Params, query: Query, body: Any) -> Any:
        return {"envelope": gibactions.send_invalid_envelope(
            self.rt, field(body, "vkn"), field(body, "alias"))}


def admin_routes(rt: Runtime) -> list[Route]:
    """Every admin endpoint (see the module docstring)."""
    admin, config = _Admin(rt), rt.config
    table = (
        ("/admin/status", "GET", admin.status, 200),
        ("/admin/integrators", "GET", admin.integrators, 200),
        ("/admin/integrators", "POST", admin.add_integrator, 201),
        ("/admin/integrators/{id}", "DELETE", admin.remove_integrator, 200),
        ("/admin/users", "GET", admin.users, 200),
        ("/admin/users", "POST", admin.add_user, 201),
        ("/admin/users/{vkn}/aliases", "DELETE", admin.remove_aliases, 200),
        ("/admin/envelopes", "GET", admin.envelopes, 200),
        ("/admin/envelopes/{id}", "GET", admin.envelope, 200),
        ("/admin/faults", "GET", admin.faults, 200),
        ("/admin/faults", "POST", admin.add_fault, 201),
        ("/admin/faults", "DELETE", admin.remove_fault, 200),
        ("/admin/faults/{id:int}", "DELETE", admin.remove_fault, 200),
        ("/admin/portal/pki", "GET", admin.pki, 200),
        ("/admin/portal/{vkn}/send", "POST", admin.portal_send, 201),
        ("/admin/portal/{vkn}/respond", "POST", admin.portal_respond, 201),
        ("/admin/portal/{vkn}/inbox", "GET", admin.portal_inbox, 200),
        ("/admin/gib/system-response", "POST", admin.gib_response, 201),
        ("/admin/gib/invalid-envelope", "POST", admin.gib_invalid, 201),
        ("/admin/gib/faulty-requests", "POST", admin.gib_probe, 200),
    )
    return [admin_route(config, path, method, handler, status=status)
            for path, method, handler, status in table]
