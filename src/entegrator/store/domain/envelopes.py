"""GİB envelopes (zarf) this integrator sent or received, and what each one carried.

Not a tenant table: an inbound envelope is stored before anyone knows which taxpayer it is
for (the receiver port must store durably before answering, gib/ports.py). ``tenant_id`` is
filled once the envelope is read; tenant-facing code reaches envelopes only through their
documents. The zip itself is kept in the archive (``archive_ref``).
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from entegrator.store.schema import BigId, UtcDateTime, id_column, metadata

__all__ = ["envelope_items", "envelopes"]

envelopes = Table(
    "envelopes",
    metadata,
    id_column(),
    Column("envelope_uuid", String(36), nullable=False),  # lower case
    Column("direction", String(3), nullable=False),  # OUT (we sent) | IN (GİB delivered)
    Column("type", String(16), nullable=False),  # SENDERENVELOPE | POSTBOXENVELOPE | …
    Column("tenant_id", BigId, ForeignKey("taxpayers.id", ondelete="RESTRICT"), nullable=True),
    Column("sender_alias", String(250), nullable=True),
    Column("sender_vkn_tckn", String(11), nullable=True),
    Column("receiver_alias", String(250), nullable=True),
    Column("receiver_vkn_tckn", String(11), nullable=True),
    Column("document_count", Integer, nullable=False, server_default="0"),
    # OUT: built -> sending -> sent -> (gib code) done | failed;  IN: received -> processed
    Column("state", String(16), nullable=False),
    Column("gib_status_code", Integer, nullable=True),
    Column("gib_status_description", String(300), nullable=True),
    Column("answers_envelope_uuid", String(36), nullable=True),  # SYSTEMENVELOPE: answered id
    Column("response_envelope_uuid", String(36), nullable=True),  # IN: our system response
    Column("md5", String(32), nullable=True),
    Column("size", Integer, nullable=True),
    Column("archive_ref", String(64), nullable=True),  # SHA-256 of the zip in the archive
    Column("caller", String(64), nullable=True),  # IN: remote address
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("processed_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("envelope_uuid", "direction"),
    CheckConstraint("direction IN ('OUT', 'IN')", name="direction"),
    Index("ix_envelopes_state", "direction", "state", "updated_at"),
    Index("ix_envelopes_answers_envelope_uuid", "answers_envelope_uuid"),
)

#: Which documents (invoices or application responses) travelled in which envelope; an
#: invoice resent after a final failure appears in several envelopes.
envelope_items = Table(
    "envelope_items",
    metadata,
    id_column(),
    Column("envelope_id", BigId, ForeignKey("envelopes.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("document_id", BigId, ForeignKey("documents.id", ondelete="RESTRICT"), nullable=True),
    Column(
        "response_id",
        BigId,
        ForeignKey("application_responses.id", ondelete="RESTRICT"),
        nullable=True,
    ),
    UniqueConstraint("envelope_id", "position"),
    Index("ix_envelope_items_document_id", "document_id"),
    Index("ix_envelope_items_response_id", "response_id"),
)
