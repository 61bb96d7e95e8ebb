"""Login sessions of the SOAP faces (and the portal later), and the keys that sign their ids.

A session id is a JWT-shaped token (``header.payload.signature``, HMAC-SHA256) that names
its row here (``session_id``, the ``jti`` claim) and its taxpayer (``tid``); the row is the
authority: logout sets ``revoked_at``, and an expired or revoked row ends the session even
if the token still verifies. ``session_keys`` holds the HMAC keys (``kid`` in the token
header), shared by every process of the installation; see :mod:`entegrator.core.sessions`.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table

from entegrator.store.schema import UtcDateTime, id_column, metadata
from entegrator.store.tenancy import tenant_table

__all__ = ["session_keys", "sessions"]

#: One login of one user: valid from ``created_at`` until ``expires_at`` unless revoked.
sessions = tenant_table(
    "sessions",
    metadata,
    Column("session_id", String(32), nullable=False, unique=True),  # the token's jti (hex)
    Column("username", String(100), nullable=False),
    Column("channel", String(16), nullable=False),  # soap | portal
    Column("ip", String(45), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Index("ix_sessions_expires_at", "expires_at"),
    tenant_fk="taxpayers.id",
)

#: HMAC keys for session tokens; the newest signs, any verifies (by ``key_id``).
session_keys = Table(
    "session_keys",
    metadata,
    id_column(),
    Column("key_id", String(16), nullable=False, unique=True),
    Column("secret", String(64), nullable=False),  # 32 random bytes, hex
    Column("created_at", UtcDateTime, nullable=False),
)
