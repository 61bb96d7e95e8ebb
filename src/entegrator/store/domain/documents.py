"""Invoices (outgoing and incoming), their content, their status history, and the KABUL/RED
application responses sent or received for them.

The signed or received bytes of a document are kept in the archive (immutable); the
``documents`` row holds the facts needed to list, search and route it, and its current state
(:class:`entegrator.core.states.DocumentState`). A draft's editable content (the JSON model or
unsigned XML) lives in ``document_contents`` until the document is signed.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)

from entegrator.store.schema import BigId, UtcDateTime, metadata
from entegrator.store.tenancy import tenant_table

__all__ = ["application_responses", "document_contents", "document_events", "documents"]

_OUT = text("direction = 'OUT'")
_IN = text("direction = 'IN'")

documents = tenant_table(
    "documents",
    metadata,
    Column("direction", String(3), nullable=False),  # OUT | IN
    Column("ettn", String(36), nullable=False),  # lower-case UUID (compare case-insensitively)
    Column("number", String(16), nullable=True),  # absent until numbered (drafts, queue)
    Column("series", String(3), nullable=True),  # series to number from (OUT, unnumbered)
    Column("profile", String(32), nullable=False),
    Column("invoice_type", String(32), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("payable_amount", Numeric(18, 2), nullable=False),
    Column("tax_exclusive_amount", Numeric(18, 2), nullable=True),
    Column("tax_inclusive_amount", Numeric(18, 2), nullable=True),
    Column("counterpart_vkn_tckn", String(11), nullable=False),
    Column("counterpart_name", String(300), nullable=True),
    Column("sender_alias", String(250), nullable=True),  # GB alias of the issuer
    Column("receiver_alias", String(250), nullable=True),  # PK alias of the receiver
    Column("state", String(40), nullable=False),  # core.states.DocumentState value
    Column("state_changed_at", UtcDateTime, nullable=False),
    Column("gib_status_code", Integer, nullable=True),  # last GİB envelope code (1000…1300)
    Column("gib_status_description", String(300), nullable=True),
    Column("envelope_uuid", String(36), nullable=True),  # current envelope
    Column("response_code", String(8), nullable=True),  # KABUL | RED (TICARIFATURA)
    Column("response_description", Text, nullable=True),
    Column("response_at", UtcDateTime, nullable=True),
    Column("response_deadline", UtcDateTime, nullable=True),  # sent/received + 8 days
    Column("is_read", Boolean, nullable=False, server_default=false()),
    Column("read_at", UtcDateTime, nullable=True),
    Column("archive_ref", String(64), nullable=True),  # SHA-256 of the archived signed bytes
    Column("idempotency_key", String(200), nullable=True),
    Column("client_reference", String(200), nullable=True),  # ERP's own id (TRXID etc.)
    Column("channel", String(16), nullable=False),  # api | soap | portal | mail | gib
    Column("source_sha256", String(64), nullable=True),  # OUT: SHA-256 of what was submitted
    # OUT, queued: the prepare run holding the document (token, lease end); see core.outbound
    Column("claim_token", String(64), nullable=True),
    Column("claim_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("received_at", UtcDateTime, nullable=True),
    CheckConstraint("direction IN ('OUT', 'IN')", name="direction"),
    # An issuer's number and ETTN identify one outgoing invoice; incoming ones are
    # unique per supplier (two suppliers may use the same number).
    Index(
        "uq_documents_out_number",
        "tenant_id",
        "number",
        unique=True,
        postgresql_where=_OUT,
        sqlite_where=_OUT,
    ),
    Index(
        "uq_documents_out_ettn",
        "tenant_id",
        "ettn",
        unique=True,
        postgresql_where=_OUT,
        sqlite_where=_OUT,
    ),
    Index(
        "uq_documents_in_ettn",
        "tenant_id",
        "counterpart_vkn_tckn",
        "ettn",
        unique=True,
        postgresql_where=_IN,
        sqlite_where=_IN,
    ),
    Index("uq_documents_idempotency_key", "tenant_id", "idempotency_key", unique=True),
    Index("ix_documents_listing", "tenant_id", "direction", "created_at", "id"),
    Index("ix_documents_state", "state", "state_changed_at"),
    Index("ix_documents_envelope_uuid", "envelope_uuid"),
    Index("ix_documents_counterpart", "tenant_id", "counterpart_vkn_tckn", "issue_date"),
    Index("ix_documents_unread", "tenant_id", "direction", "is_read", "created_at"),
    # Document queries (core.documents): search by number or ETTN, list by issue date.
    Index("ix_documents_number", "tenant_id", "number"),
    Index("ix_documents_ettn", "tenant_id", "ettn"),
    Index("ix_documents_issue_date", "tenant_id", "direction", "issue_date", "id"),
    Index(
        "ix_documents_queued",
        "tenant_id",
        "id",
        postgresql_where=text("state = 'queued'"),
        sqlite_where=text("state = 'queued'"),
    ),
    tenant_fk="taxpayers.id",
)

#: Editable content of a document that is not signed yet: ``kind`` is ``model`` (the JSON
#: invoice model) or ``xml`` (unsigned UBL-TR given by the caller). Removed once signed.
document_contents = tenant_table(
    "document_contents",
    metadata,
    Column(
        "document_id",
        BigId,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("kind", String(8), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("kind IN ('model', 'xml')", name="kind"),
    tenant_fk="taxpayers.id",
)

#: Every state change of a document (the status history the APIs show).
document_events = tenant_table(
    "document_events",
    metadata,
    Column("document_id", BigId, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("state", String(40), nullable=False),
    Column("gib_status_code", Integer, nullable=True),
    Column("envelope_uuid", String(36), nullable=True),
    Column("message", Text, nullable=True),
    Index("ix_document_events_document_id_at", "document_id", "at"),
    tenant_fk="taxpayers.id",
)

#: KABUL/RED application responses: ``direction`` OUT = we answered a received TICARIFATURA,
#: IN = our customer answered an invoice we sent. One per invoice and direction (EntKlv §3).
application_responses = tenant_table(
    "application_responses",
    metadata,
    Column("document_id", BigId, ForeignKey("documents.id", ondelete="RESTRICT"), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("response_code", String(8), nullable=False),  # KABUL | RED
    Column("description", Text, nullable=True),
    Column("ettn", String(36), nullable=False),
    Column("response_id", String(64), nullable=False),  # cbc:ID of the response
    Column("issued_at", UtcDateTime, nullable=False),
    Column("envelope_uuid", String(36), nullable=True),
    Column("state", String(24), nullable=False),  # sending | sent | succeeded | failed | received
    Column("gib_status_code", Integer, nullable=True),
    Column("archive_ref", String(64), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("direction IN ('OUT', 'IN')", name="direction"),
    CheckConstraint("response_code IN ('KABUL', 'RED')", name="response_code"),
    UniqueConstraint("document_id", "direction"),
    Index("ix_application_responses_envelope_uuid", "envelope_uuid"),
    tenant_fk="taxpayers.id",
)
