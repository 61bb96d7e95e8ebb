"""The simulator's own database: tables on a MetaData of their own, and how it is created.

The simulator is another party (GİB), so it never shares the integrator's schema
(``entegrator.store.schema.metadata``) or its migrations. Its tables follow the store's
conventions (``id_column``, ``UtcDateTime``, ``Json``, the naming convention) and are created
with ``create_all`` together with the store's two job tables (``jobs``, ``job_breakers``),
which the simulator's workers use (docs/decisions/simulator-design.md, "Storage").

* ``sim_integrators`` — registered özel entegratörs (endpoint, VKN, source networks);
* ``sim_users`` / ``sim_aliases`` — the registered-user list; an alias row belongs to the
  integrator (``owner``) that opened it (``portal`` for GİB portal users) and is closed by
  setting ``deleted_at`` (closed aliases stay listed, as in GİB's lists);
* ``sim_envelopes`` / ``sim_envelope_data`` / ``sim_events`` — every envelope received or
  made by Merkez, its zip, and its status history;
* ``sim_invoices`` — invoices of envelopes that passed Merkez's checks and are not in a
  resend-allowed final failure: the unique keys make duplicates (1163) race-free;
* ``sim_portal_inbox`` / ``sim_portal_sequences`` — what GİB portal users received, and
  their invoice numbering.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from entegrator.store import jobs as store_jobs
from entegrator.store.schema import NAMING_CONVENTION, BigId, Json, UtcDateTime, id_column
from entegrator.store.schema import metadata as store_metadata

__all__ = [
    "aliases",
    "create_schema",
    "envelope_data",
    "envelopes",
    "events",
    "integrators",
    "invoices",
    "metadata",
    "portal_inbox",
    "portal_sequences",
    "users",
]

#: The simulator's MetaData (never the integrator's).
metadata = MetaData(naming_convention=NAMING_CONVENTION)

integrators = Table(
    "sim_integrators",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("vkn", String(11), nullable=False),
    Column("endpoint", String(500), nullable=False),
    Column("networks", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

users = Table(
    "sim_users",
    metadata,
    Column("identifier", String(11), primary_key=True),
    Column("title", String(500), nullable=False),
    Column("type", String(4), nullable=False),
    Column("account_type", String(20), nullable=False),
    Column("first_created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_sim_users_updated_at", "updated_at"),
)

aliases = Table(
    "sim_aliases",
    metadata,
    id_column(),
    Column("identifier", String(11), ForeignKey("sim_users.identifier"), nullable=False),
    Column("role", String(2), nullable=False),
    Column("document_type", String(20), nullable=False),
    Column("name", String(250), nullable=False),
    Column("owner", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_sim_aliases_name", "name"),
    Index("ix_sim_aliases_identifier", "identifier"),
    Index("ix_sim_aliases_updated_at", "updated_at"),
)

envelopes = Table(
    "sim_envelopes",
    metadata,
    id_column(),
    Column("envelope_id", String(36), nullable=False, unique=True),
    Column("file_name", String(100), nullable=False),
    Column("direction", String(3), nullable=False),  # in: received; out: made by Merkez
    Column("origin", String(64), nullable=False),  # integrator id, "portal" or "gib"
    Column("type", String(20), nullable=True),
    Column("element_type", String(30), nullable=True),
    Column("element_count", Integer, nullable=True),
    Column("sender_alias", String(250), nullable=True),
    Column("sender_vkn", String(11), nullable=True),
    Column("receiver_alias", String(250), nullable=True),
    Column("receiver_vkn", String(11), nullable=True),
    Column("header_created", String(40), nullable=True),
    Column("status", Integer, nullable=True),  # None for envelopes Merkez made
    Column("detail", Text, nullable=True),
    Column("target", String(64), nullable=True),  # where it is delivered
    Column("answers", String(36), nullable=True),  # SYSTEMENVELOPE: the answered envelope
    Column("attempts", Integer, nullable=False),
    Column("polls", Integer, nullable=False),
    Column("md5", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_sim_envelopes_answers", "answers"),
)

envelope_data = Table(
    "sim_envelope_data",
    metadata,
    Column("envelope", BigId, ForeignKey("sim_envelopes.id"), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

events = Table(
    "sim_events",
    metadata,
    id_column(),
    Column("envelope", BigId, ForeignKey("sim_envelopes.id"), nullable=False),
    Column("code", Integer, nullable=False),
    Column("note", Text, nullable=True),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_sim_events_envelope", "envelope"),
)

invoices = Table(
    "sim_invoices",
    metadata,
    id_column(),
    Column("envelope", BigId, ForeignKey("sim_envelopes.id"), nullable=False),
    Column("ettn", String(36), nullable=False, unique=True),
    Column("sender_vkn", String(11), nullable=False),
    Column("number", String(16), nullable=False),
    UniqueConstraint("sender_vkn", "number"),
    Index("ix_sim_invoices_envelope", "envelope"),
)

portal_inbox = Table(
    "sim_portal_inbox",
    metadata,
    id_column(),
    Column("portal_vkn", String(11), nullable=False),
    Column("envelope_id", String(36), nullable=False),
    Column("kind", String(30), nullable=False),  # INVOICE | APPLICATIONRESPONSE
    Column("document_uuid", String(36), nullable=False),
    Column("number", String(40), nullable=True),
    Column("profile_id", String(40), nullable=True),
    Column("document_type", String(40), nullable=True),  # invoice type / KABUL / RED
    Column("issue_date", String(10), nullable=True),
    Column("reference", String(36), nullable=True),  # app response: the answered invoice
    Column("sender_vkn", String(11), nullable=False),
    Column("sender_alias", String(250), nullable=False),
    Column("sender_title", String(500), nullable=True),
    Column("receiver_alias", String(250), nullable=False),
    Column("response_code", String(10), nullable=True),  # KABUL/RED the portal user sent
    Column("response_envelope", String(36), nullable=True),
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_sim_portal_inbox_portal_vkn", "portal_vkn"),
    Index("ix_sim_portal_inbox_document_uuid", "document_uuid"),
)

portal_sequences = Table(
    "sim_portal_sequences",
    metadata,
    Column("vkn", String(11), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)


def create_schema(engine: Engine) -> None:
    """Create the simulator's tables and the store's job tables if missing (idempotent)."""
    metadata.create_all(engine)
    store_metadata.create_all(engine, tables=[store_jobs.jobs, store_jobs.job_breakers])
