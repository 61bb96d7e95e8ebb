"""The archive's tables (its own; the integrator's live in :mod:`entegrator.store.domain`).

* ``archive_contents`` — one row per distinct content (SHA-256 unique): size, how it is
  encoded (layout, codec, dictionary), where its bytes are (database or directory) and the
  month partition that holds them.
* ``archive_blobs`` — the encoded bytes of the database back end. On PostgreSQL it is
  partitioned by month (``RANGE (month)``, month = ``yyyymm``); the migration creates the
  parent and a default partition, :mod:`.partitions` creates the monthly ones ahead.
* ``archive_content_parts`` — which shared parts (embedded XSLT, logos) a content is built
  from, so a purge knows when a part is no longer used.
* ``archive_dictionaries`` — zstd dictionaries trained on archived documents; immutable.
* ``archive_documents`` — the index: one entry per (taxpayer, kind, direction, content), with
  the search facts, retention date and place in the daily hash chain. ``tenant_id`` is
  optional (envelopes received before their taxpayer is known); its rows are reached through
  a :class:`~entegrator.store.tenancy.TenantScope` like any tenant data.
* ``archive_chain`` — one row per sealed day: count and root of the daily hash chain.
* ``archive_holds`` — legal holds that keep documents past their retention (a hold without
  a tenant holds every taxpayer's documents).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects import postgresql

from entegrator.store.schema import BigId, UtcDateTime, id_column, metadata
from entegrator.store.tenancy import TENANT_INFO_KEY

#: A tsvector on PostgreSQL; unused text on SQLite.
Words = Text().with_variant(postgresql.TSVECTOR(), "postgresql")

__all__ = [
    "archive_blobs",
    "archive_chain",
    "archive_content_parts",
    "archive_contents",
    "archive_dictionaries",
    "archive_documents",
    "archive_holds",
]

archive_dictionaries = Table(
    "archive_dictionaries",
    metadata,
    id_column(),
    Column("kind", String(32), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("data", LargeBinary, nullable=False),
    Column("sample_count", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

archive_contents = Table(
    "archive_contents",
    metadata,
    id_column(),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("size", BigInteger, nullable=False),
    Column("stored_size", BigInteger, nullable=False),
    Column("layout", String(8), nullable=False),
    Column("codec", String(8), nullable=False),
    Column(
        "dictionary_id",
        BigId,
        ForeignKey("archive_dictionaries.id", ondelete="RESTRICT"),
        nullable=True,
    ),
    Column("location", String(8), nullable=False),
    Column("month", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint("layout IN ('whole', 'split')", name="layout"),
    CheckConstraint("codec IN ('raw', 'zstd')", name="codec"),
    CheckConstraint("location IN ('db', 'dir')", name="location"),
)

archive_blobs = Table(
    "archive_blobs",
    metadata,
    Column("month", Integer, nullable=False),
    Column(
        "content_id",
        BigId,
        ForeignKey("archive_contents.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("month", "content_id"),
    postgresql_partition_by="RANGE (month)",
)

archive_content_parts = Table(
    "archive_content_parts",
    metadata,
    Column(
        "content_id",
        BigId,
        ForeignKey("archive_contents.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column(
        "part_id",
        BigId,
        ForeignKey("archive_contents.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    ),
    PrimaryKeyConstraint("content_id", "part_id"),
)

archive_documents = Table(
    "archive_documents",
    metadata,
    id_column(),
    Column("tenant_id", BigId, nullable=True),
    Column(
        "content_id",
        BigId,
        ForeignKey("archive_contents.id", ondelete="RESTRICT"),
        nullable=True,
    ),
    Column("sha256", String(64), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("archived_at", UtcDateTime, nullable=False),
    Column("ettn", String(36), nullable=True),
    Column("number", String(64), nullable=True),
    Column("envelope_uuid", String(36), nullable=True),
    Column("issue_date", Date, nullable=False),
    Column("received_at", UtcDateTime, nullable=True),
    Column("counterpart_vkn_tckn", String(11), nullable=True),
    Column("counterpart_name", String(500), nullable=True),
    Column("counterpart_key", Text, nullable=True),
    # PostgreSQL: the words of counterpart_key for prefix search (GIN). SQLite leaves it NULL
    # and searches an FTS5 table (``archive_titles``, made by the migration with triggers).
    Column("counterpart_words", Words, nullable=True),
    Column("profile", String(40), nullable=True),
    Column("invoice_type", String(40), nullable=True),
    Column("status", String(60), nullable=True),
    Column("payable_amount", Numeric(20, 2), nullable=True),
    Column("currency", String(3), nullable=True),
    Column("source", String(16), nullable=False),
    Column("retain_until", Date, nullable=False),
    Column("purged_at", UtcDateTime, nullable=True),
    Column("chain_day", Date, nullable=True),
    Column("chain_seq", Integer, nullable=True),
    CheckConstraint(
        "kind IN ('invoice', 'application_response', 'system_response', 'envelope')",
        name="kind",
    ),
    CheckConstraint("direction IN ('OUT', 'IN')", name="direction"),
    Index("ix_archive_documents_tenant_id_issue_date_id", "tenant_id", "issue_date", "id"),
    Index(
        "ix_archive_documents_counterpart",
        "tenant_id",
        "counterpart_vkn_tckn",
        "issue_date",
        "id",
    ),
    Index("ix_archive_documents_tenant_id_ettn", "tenant_id", "ettn"),
    Index("ix_archive_documents_tenant_id_number", "tenant_id", "number"),
    Index("ix_archive_documents_tenant_id_envelope_uuid", "tenant_id", "envelope_uuid"),
    Index("ix_archive_documents_tenant_id_payable_amount", "tenant_id", "payable_amount"),
    Index("ix_archive_documents_tenant_id_received_at", "tenant_id", "received_at"),
    Index(
        "uq_archive_documents_entry",
        "tenant_id",
        "kind",
        "direction",
        "sha256",
        unique=True,
    ),
    Index("ix_archive_documents_sha256", "sha256"),
    Index(
        "ix_archive_documents_counterpart_words",
        "counterpart_words",
        postgresql_using="gin",
        sqlite_where=text("counterpart_words IS NOT NULL"),
    ),
    Index("ix_archive_documents_chain_day_chain_seq", "chain_day", "chain_seq"),
    Index("ix_archive_documents_retain_until", "retain_until"),
    info={TENANT_INFO_KEY: "tenant_id"},
)

archive_chain = Table(
    "archive_chain",
    metadata,
    Column("day", Date, primary_key=True),
    Column("count", Integer, nullable=False),
    Column("first_id", BigId, nullable=True),
    Column("last_id", BigId, nullable=True),
    Column("previous_root", String(64), nullable=False),
    Column("root", String(64), nullable=False),
    Column("sealed_at", UtcDateTime, nullable=False),
)

archive_holds = Table(
    "archive_holds",
    metadata,
    id_column(),
    Column("tenant_id", BigId, nullable=True),
    Column("reason", Text, nullable=False),
    Column("issued_from", Date, nullable=True),
    Column("issued_to", Date, nullable=True),
    Column("placed_at", UtcDateTime, nullable=False),
    Column("placed_by", String(200), nullable=True),
    Column("released_at", UtcDateTime, nullable=True),
    Column("released_by", String(200), nullable=True),
    Index("ix_archive_holds_tenant_id", "tenant_id"),
    info={TENANT_INFO_KEY: "tenant_id"},
)
