"""archive: contents, blobs (monthly partitions on PostgreSQL), entries, chain, holds.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)
_WORDS = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
_ENTRY_INDEXES = (
    ("ix_archive_documents_tenant_id_issue_date_id", ["tenant_id", "issue_date", "id"]),
    ("ix_archive_documents_counterpart", ["tenant_id", "counterpart_vkn_tckn", "issue_date", "id"]),
    ("ix_archive_documents_tenant_id_ettn", ["tenant_id", "ettn"]),
    ("ix_archive_documents_tenant_id_number", ["tenant_id", "number"]),
    ("ix_archive_documents_tenant_id_envelope_uuid", ["tenant_id", "envelope_uuid"]),
    ("ix_archive_documents_tenant_id_payable_amount", ["tenant_id", "payable_amount"]),
    ("ix_archive_documents_tenant_id_received_at", ["tenant_id", "received_at"]),
    ("ix_archive_documents_sha256", ["sha256"]),
    ("ix_archive_documents_chain_day_chain_seq", ["chain_day", "chain_seq"]),
    ("ix_archive_documents_retain_until", ["retain_until"]),
)


_KEEP = "arşiv kayıtları silinemez (saklama süresi sonunda yalnızca içerik temizlenir)"
_KEEP_CHAIN = "arşiv zinciri yalnızca eklemeye açıktır"


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="RESTRICT",
    )


def upgrade() -> None:
    on_postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "archive_dictionaries",
        sa.Column("id", _BIG_ID, sa.Identity(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sample_count", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_dictionaries")),
        sa.UniqueConstraint("sha256", name=op.f("uq_archive_dictionaries_sha256")),
    )
    op.create_table(
        "archive_contents",
        sa.Column("id", _BIG_ID, sa.Identity(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_size", sa.BigInteger(), nullable=False),
        sa.Column("layout", sa.String(8), nullable=False),
        sa.Column("codec", sa.String(8), nullable=False),
        sa.Column("dictionary_id", _BIG_ID, nullable=True),
        sa.Column("location", sa.String(8), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.CheckConstraint("codec IN ('raw', 'zstd')", name=op.f("ck_archive_contents_codec")),
        sa.CheckConstraint(
            "layout IN ('whole', 'split')", name=op.f("ck_archive_contents_layout")
        ),
        sa.CheckConstraint(
            "location IN ('db', 'dir')", name=op.f("ck_archive_contents_location")
        ),
        _fk("archive_contents", "dictionary_id", "archive_dictionaries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_contents")),
        sa.UniqueConstraint("sha256", name=op.f("uq_archive_contents_sha256")),
    )
    op.create_table(
        "archive_blobs",
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("content_id", _BIG_ID, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        _fk("archive_blobs", "content_id", "archive_contents"),
        sa.PrimaryKeyConstraint("month", "content_id", name=op.f("pk_archive_blobs")),
        postgresql_partition_by="RANGE (month)",
    )
    if on_postgresql:
        # Monthly partitions are created ahead by the archive's maintenance job; the default
        # partition only catches a month nobody prepared (it never refuses a write).
        op.execute("CREATE TABLE archive_blobs_default PARTITION OF archive_blobs DEFAULT")
        op.execute("ALTER TABLE archive_blobs ALTER COLUMN data SET STORAGE EXTERNAL")
    op.create_table(
        "archive_content_parts",
        sa.Column("content_id", _BIG_ID, nullable=False),
        sa.Column("part_id", _BIG_ID, nullable=False),
        _fk("archive_content_parts", "content_id", "archive_contents"),
        _fk("archive_content_parts", "part_id", "archive_contents"),
        sa.PrimaryKeyConstraint("content_id", "part_id", name=op.f("pk_archive_content_parts")),
    )
    op.create_index(
        "ix_archive_content_parts_part_id", "archive_content_parts", ["part_id"], unique=False
    )
    op.create_table(
        "archive_documents",
        sa.Column("id", _BIG_ID, sa.Identity(), nullable=False),
        sa.Column("tenant_id", _BIG_ID, nullable=True),
        sa.Column("content_id", _BIG_ID, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("archived_at", _TS, nullable=False),
        sa.Column("ettn", sa.String(36), nullable=True),
        sa.Column("number", sa.String(64), nullable=True),
        sa.Column("envelope_uuid", sa.String(36), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("received_at", _TS, nullable=True),
        sa.Column("counterpart_vkn_tckn", sa.String(11), nullable=True),
        sa.Column("counterpart_name", sa.String(500), nullable=True),
        sa.Column("counterpart_key", sa.Text(), nullable=True),
        sa.Column("counterpart_words", _WORDS, nullable=True),
        sa.Column("profile", sa.String(40), nullable=True),
        sa.Column("invoice_type", sa.String(40), nullable=True),
        sa.Column("status", sa.String(60), nullable=True),
        sa.Column("payable_amount", sa.Numeric(20, 2), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("purged_at", _TS, nullable=True),
        sa.Column("chain_day", sa.Date(), nullable=True),
        sa.Column("chain_seq", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "direction IN ('OUT', 'IN')", name=op.f("ck_archive_documents_direction")
        ),
        sa.CheckConstraint(
            "kind IN ('invoice', 'application_response', 'system_response', 'envelope')",
            name=op.f("ck_archive_documents_kind"),
        ),
        _fk("archive_documents", "content_id", "archive_contents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_documents")),
    )
    for name, columns in _ENTRY_INDEXES:
        op.create_index(name, "archive_documents", columns, unique=False)
    op.create_index(
        "uq_archive_documents_entry",
        "archive_documents",
        ["tenant_id", "kind", "direction", "sha256"],
        unique=True,
    )
    op.create_table(
        "archive_chain",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_id", _BIG_ID, nullable=True),
        sa.Column("last_id", _BIG_ID, nullable=True),
        sa.Column("previous_root", sa.String(64), nullable=False),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("sealed_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_archive_chain")),
    )
    op.create_table(
        "archive_holds",
        sa.Column("id", _BIG_ID, sa.Identity(), nullable=False),
        sa.Column("tenant_id", _BIG_ID, nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_from", sa.Date(), nullable=True),
        sa.Column("issued_to", sa.Date(), nullable=True),
        sa.Column("placed_at", _TS, nullable=False),
        sa.Column("placed_by", sa.String(200), nullable=True),
        sa.Column("released_at", _TS, nullable=True),
        sa.Column("released_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_holds")),
    )
    op.create_index("ix_archive_holds_tenant_id", "archive_holds", ["tenant_id"], unique=False)
    # Word-prefix search on counterpart titles (the folded key; see archive/text.py): a GIN
    # index on PostgreSQL; on SQLite the column stays NULL (empty partial index) and an FTS5
    # table kept in step by triggers does the work.
    op.create_index(
        "ix_archive_documents_counterpart_words",
        "archive_documents",
        ["counterpart_words"],
        unique=False,
        postgresql_using="gin",
        sqlite_where=sa.text("counterpart_words IS NOT NULL"),
    )
    _protect(on_postgresql)
    if not on_postgresql:
        # SQLite: an FTS5 index over the folded titles, kept in step by triggers.
        op.execute(
            "CREATE VIRTUAL TABLE archive_titles USING fts5(counterpart_key, "
            "content='archive_documents', content_rowid='id', tokenize='unicode61')"
        )
        op.execute(
            "CREATE TRIGGER archive_titles_insert AFTER INSERT ON archive_documents "
            "WHEN new.counterpart_key IS NOT NULL BEGIN "
            "INSERT INTO archive_titles(rowid, counterpart_key) "
            "VALUES (new.id, new.counterpart_key); END"
        )
        op.execute(
            "CREATE TRIGGER archive_titles_delete AFTER DELETE ON archive_documents "
            "WHEN old.counterpart_key IS NOT NULL BEGIN "
            "INSERT INTO archive_titles(archive_titles, rowid, counterpart_key) "
            "VALUES ('delete', old.id, old.counterpart_key); END"
        )
        op.execute(
            "CREATE TRIGGER archive_titles_update AFTER UPDATE OF counterpart_key "
            "ON archive_documents BEGIN "
            "INSERT INTO archive_titles(archive_titles, rowid, counterpart_key) "
            "SELECT 'delete', old.id, old.counterpart_key WHERE old.counterpart_key IS NOT NULL; "
            "INSERT INTO archive_titles(rowid, counterpart_key) "
            "SELECT new.id, new.counterpart_key WHERE new.counterpart_key IS NOT NULL; END"
        )


def _protect(on_postgresql: bool) -> None:
    """Entries are never deleted (a purge leaves a tombstone); chain rows never change."""
    if on_postgresql:
        for name, message in (("keep", _KEEP), ("keep_chain", _KEEP_CHAIN)):
            op.execute(
                f"CREATE FUNCTION archive_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege'; "
                "END $$"
            )
        op.execute(
            "CREATE TRIGGER archive_documents_keep BEFORE DELETE ON archive_documents "
            "FOR EACH ROW EXECUTE FUNCTION archive_keep()"
        )
        op.execute(
            "CREATE TRIGGER archive_documents_keep_all BEFORE TRUNCATE ON archive_documents "
            "FOR EACH STATEMENT EXECUTE FUNCTION archive_keep()"
        )
        op.execute(
            "CREATE TRIGGER archive_chain_keep BEFORE UPDATE OR DELETE ON archive_chain "
            "FOR EACH ROW EXECUTE FUNCTION archive_keep_chain()"
        )
        op.execute(
            "CREATE TRIGGER archive_chain_keep_all BEFORE TRUNCATE ON archive_chain "
            "FOR EACH STATEMENT EXECUTE FUNCTION archive_keep_chain()"
        )
        return
    op.execute(
        "CREATE TRIGGER archive_documents_keep BEFORE DELETE ON archive_documents "
        f"BEGIN SELECT RAISE(ABORT, '{_KEEP}'); END"
    )
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER archive_chain_keep_{event.lower()} BEFORE {event} ON archive_chain "
            f"BEGIN SELECT RAISE(ABORT, '{_KEEP_CHAIN}'); END"
        )


def _unprotect(on_postgresql: bool) -> None:
    if on_postgresql:
        op.execute("DROP TRIGGER archive_chain_keep_all ON archive_chain")
        op.execute("DROP TRIGGER archive_chain_keep ON archive_chain")
        op.execute("DROP TRIGGER archive_documents_keep_all ON archive_documents")
        op.execute("DROP TRIGGER archive_documents_keep ON archive_documents")
        op.execute("DROP FUNCTION archive_keep_chain()")
        op.execute("DROP FUNCTION archive_keep()")
        return
    op.execute("DROP TRIGGER archive_chain_keep_delete")
    op.execute("DROP TRIGGER archive_chain_keep_update")
    op.execute("DROP TRIGGER archive_documents_keep")


def downgrade() -> None:
    _unprotect(op.get_bind().dialect.name == "postgresql")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER archive_titles_{trigger}")
        op.execute("DROP TABLE archive_titles")
    op.drop_index("ix_archive_holds_tenant_id", table_name="archive_holds")
    op.drop_table("archive_holds")
    op.drop_table("archive_chain")
    op.drop_index("ix_archive_documents_counterpart_words", table_name="archive_documents")
    op.drop_index("uq_archive_documents_entry", table_name="archive_documents")
    for name, _ in reversed(_ENTRY_INDEXES):
        op.drop_index(name, table_name="archive_documents")
    op.drop_table("archive_documents")
    op.drop_index("ix_archive_content_parts_part_id", table_name="archive_content_parts")
    op.drop_table("archive_content_parts")
    op.drop_table("archive_blobs")  # drops its partitions with it on PostgreSQL
    op.drop_table("archive_contents")
    op.drop_table("archive_dictionaries")
