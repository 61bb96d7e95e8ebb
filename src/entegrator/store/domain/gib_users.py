"""GİB's registered e-Fatura user list as last imported (gib-protocol.md §5).

System-wide reference data, not tenant data: every taxpayer looks up the same list. One row
per user (VKN/TCKN) and one per alias; closed aliases keep their ``deleted_at``
(an alias is usable iff it has none).
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint

from entegrator.store.schema import UtcDateTime, id_column, metadata

__all__ = ["gib_user_aliases", "gib_userlist_syncs", "gib_users"]

gib_users = Table(
    "gib_users",
    metadata,
    id_column(),
    Column("identifier", String(11), nullable=False, unique=True),
    Column("title", String(500), nullable=False),
    Column("title_search", String(500), nullable=False),  # Turkish-aware case-folded title
    Column("type", String(8), nullable=False),  # OZEL | KAMU
    Column("account_type", String(20), nullable=True),
    Column("first_creation_time", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_gib_users_title_search", "title_search"),
)

gib_user_aliases = Table(
    "gib_user_aliases",
    metadata,
    id_column(),
    Column("identifier", String(11), nullable=False),
    Column("role", String(2), nullable=False),  # GB | PK
    Column("document_type", String(16), nullable=False),  # Invoice | DespatchAdvice
    Column("alias", String(250), nullable=False),
    Column("created_at", UtcDateTime, nullable=True),
    Column("deleted_at", UtcDateTime, nullable=True),
    UniqueConstraint("identifier", "role", "document_type", "alias"),
    Index("ix_gib_user_aliases_alias", "alias"),
)

#: One row per refresh of the list: when, from where, how much changed.
gib_userlist_syncs = Table(
    "gib_userlist_syncs",
    metadata,
    id_column(),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("kind", String(12), nullable=False),  # full | incremental
    Column("users", Integer, nullable=True),
    Column("aliases", Integer, nullable=True),
    Column("error", Text, nullable=True),
)
