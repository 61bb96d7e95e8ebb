"""Taxpayers (the tenants), their GB/PK aliases, their people, API credentials and seals."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from entegrator.store.schema import Json, UtcDateTime, id_column, metadata
from entegrator.store.tenancy import tenant_table

__all__ = ["api_credentials", "seals", "taxpayer_aliases", "taxpayers", "users"]

#: A taxpayer served by this integrator. Not a tenant table: it IS the tenant.
taxpayers = Table(
    "taxpayers",
    metadata,
    id_column(),
    Column("vkn_tckn", String(11), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),  # company (VKN) | person (TCKN)
    Column("title", String(300), nullable=False),  # company title or "first family" name
    Column("first_name", String(100), nullable=True),
    Column("family_name", String(100), nullable=True),
    Column("tax_office", String(100), nullable=True),
    Column("address", Json, nullable=True),  # ubl.model Address as JSON
    Column("email", String(200), nullable=True),
    Column("phone", String(50), nullable=True),
    Column("gib_user_type", String(8), nullable=False, server_default="OZEL"),  # OZEL | KAMU
    Column("default_series", String(3), nullable=True),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("kind IN ('company', 'person')", name="kind"),
    CheckConstraint("gib_user_type IN ('OZEL', 'KAMU')", name="gib_user_type"),
)

#: The taxpayer's own GİB aliases: GB (sender unit) and PK (postbox), registered at GİB
#: through USERENVELOPEs (Özel Entegrasyon Kılavuzu §4–5).
taxpayer_aliases = tenant_table(
    "taxpayer_aliases",
    metadata,
    Column("alias", String(250), nullable=False),
    Column("role", String(2), nullable=False),  # GB | PK
    Column("is_default", Boolean, nullable=False, server_default=false()),
    # pending -> registering -> registered | failed; registered -> cancelling -> cancelled
    Column("gib_state", String(16), nullable=False),
    Column("gib_envelope_uuid", String(36), nullable=True),
    Column("registered_at", UtcDateTime, nullable=True),
    Column("deleted_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("alias", "role"),
    CheckConstraint("role IN ('GB', 'PK')", name="role"),
    tenant_fk="taxpayers.id",
)

#: People who log in to the portal or the SOAP API (username/password).
users = tenant_table(
    "users",
    metadata,
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("role", String(16), nullable=False),  # admin | accountant | viewer | api
    Column("full_name", String(200), nullable=True),
    Column("email", String(200), nullable=True),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("last_login_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint("role IN ('admin', 'accountant', 'viewer', 'api')", name="role"),
    tenant_fk="taxpayers.id",
)

#: Machine credentials: API keys and OAuth2 client-credentials clients, each bound to one
#: taxpayer and one role. Only a hash of the secret is kept.
api_credentials = tenant_table(
    "api_credentials",
    metadata,
    Column("kind", String(16), nullable=False),  # api_key | oauth_client
    Column("key_id", String(64), nullable=False, unique=True),
    Column("secret_hash", String(300), nullable=False),
    Column("role", String(16), nullable=False),
    Column("label", String(200), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    CheckConstraint("kind IN ('api_key', 'oauth_client')", name="kind"),
    tenant_fk="taxpayers.id",
)

#: The taxpayer's financial seal: where the key lives (no secrets here: PINs and passwords
#: are referenced by environment variable or secrets-file name) and its certificate.
#: ``kind = 'delegated'`` means the integrator's own seal signs for this taxpayer.
seals = tenant_table(
    "seals",
    metadata,
    Column("kind", String(16), nullable=False),  # pkcs12 | pkcs11 | delegated
    Column("config", Json, nullable=False),
    Column("certificate_pem", Text, nullable=True),
    Column("not_before", UtcDateTime, nullable=True),
    Column("not_after", UtcDateTime, nullable=True),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint("kind IN ('pkcs12', 'pkcs11', 'delegated')", name="kind"),
    Index(
        "ix_seals_one_active",
        "tenant_id",
        unique=True,
        postgresql_where=text("active"),
        sqlite_where=text("active"),
    ),
    tenant_fk="taxpayers.id",
)
