"""store: jobs, circuit breakers, append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TS = sa.DateTime(timezone=True)
_APPEND_ONLY = "audit_log yalnızca eklemeye açıktır; kayıt değiştirilemez veya silinemez"


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", _BIG_ID, sa.Identity(), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("payload", _JSON, nullable=False),
        sa.Column("destination", sa.String(200), nullable=True),
        sa.Column("dedupe_key", sa.String(200), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("run_at", _TS, nullable=False),
        sa.Column("locked_by", sa.String(120), nullable=True),
        sa.Column("locked_until", _TS, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("finished_at", _TS, nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'running', 'done', 'dead', 'cancelled')",
            name=op.f("ck_jobs_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_jobs_dedupe_key")),
    )
    pending = sa.text("state = 'pending'")
    running = sa.text("state = 'running'")
    op.create_index(
        "ix_jobs_due", "jobs", ["run_at", "id"], postgresql_where=pending, sqlite_where=pending
    )
    op.create_index(
        "ix_jobs_lease", "jobs", ["locked_until"], postgresql_where=running, sqlite_where=running
    )
    op.create_index(
        "ix_jobs_destination_due",
        "jobs",
        ["destination", "run_at"],
        postgresql_where=pending,
        sqlite_where=pending,
    )

    op.create_table(
        "job_breakers",
        sa.Column("destination", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("open_until", _TS, nullable=True),
        sa.Column("probe_until", _TS, nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        sa.CheckConstraint(
            "state IN ('closed', 'open', 'half_open')", name=op.f("ck_job_breakers_state")
        ),
        sa.PrimaryKeyConstraint("destination", name=op.f("pk_job_breakers")),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", _BIG_ID, sa.Identity(), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("tenant_id", _BIG_ID, nullable=True),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(200), nullable=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("object_type", sa.String(100), nullable=True),
        sa.Column("object_id", sa.String(200), nullable=True),
        sa.Column("details", _JSON, nullable=True),
        sa.CheckConstraint(
            "actor_kind IN ('user', 'api_client', 'system')", name=op.f("ck_audit_log_actor_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_tenant_id_at", "audit_log", ["tenant_id", "at"])
    op.create_index("ix_audit_log_object_type_object_id", "audit_log", ["object_type", "object_id"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY}' USING ERRCODE = 'insufficient_privilege'; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_delete")
        op.execute("DROP TRIGGER audit_log_no_update")
    op.drop_table("audit_log")
    op.drop_table("job_breakers")
    op.drop_index("ix_jobs_destination_due", table_name="jobs")
    op.drop_index("ix_jobs_lease", table_name="jobs")
    op.drop_index("ix_jobs_due", table_name="jobs")
    op.drop_table("jobs")
