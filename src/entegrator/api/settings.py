"""Settings of the ERP-facing web services: tokens, limits, protection.

One frozen :class:`ApiSettings` is given to :func:`entegrator.api.app.api_app`. The access
token key is a secret shared by every process serving the API (set
``ENTEGRATOR_SECRET_API_TOKEN_KEY``, read through the seal settings' secret store); without
one, each process makes a random key and tokens only verify in the process that issued them
(fine for one process, wrong behind a load balancer — see docs/decisions/api-rest-auth.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from entegrator.errors import ConfigurationError
from entegrator.types import Secret

__all__ = ["ApiSettings", "RateLimit"]

#: Name of the access-token key in the secret store (``ENTEGRATOR_SECRET_API_TOKEN_KEY``).
TOKEN_KEY_SECRET = "API_TOKEN_KEY"


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A token bucket: ``rate`` requests per second on average, bursts up to ``burst``."""

    rate: float
    burst: int

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ConfigurationError("hız sınırı pozitif olmalı (rate > 0, burst >= 1)")


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """Everything the API faces need beyond the Integrator.

    * ``token_ttl`` — lifetime of OAuth2 access tokens (seconds); ``token_key`` signs them.
    * ``per_credential`` — rate limit of each API key / OAuth client / session;
      ``per_address`` — of unauthenticated requests per client IP.
    * ``login_failures`` / ``login_window`` / ``login_lockout`` — after that many failed
      authentications from one address (or against one key id) within the window, further
      attempts are refused for ``login_lockout`` seconds (brute force).
    * ``max_body_bytes`` — largest request body (a batch of 100 invoices fits; İzibiz's
      limit is 5 MB of documents, base64 and JSON add a third).
    * ``audit_flush_interval`` — how often the per-call audit rows are written (seconds).
    * ``auth_cache_seconds`` — how long a verified API key is trusted without a database
      read (revocation takes effect within this time).
    """

    token_ttl: int = 900
    token_key: Secret | None = None
    per_credential: RateLimit = RateLimit(rate=50.0, burst=200)
    per_address: RateLimit = RateLimit(rate=20.0, burst=60)
    login_failures: int = 10
    login_window: float = 300.0
    login_lockout: float = 900.0
    max_body_bytes: int = 8 * 1024 * 1024
    audit_flush_interval: float = 0.5
    auth_cache_seconds: float = 5.0
    openapi: bool = True

    def __post_init__(self) -> None:
        if self.token_ttl < 30 or self.token_ttl > 86_400:
            raise ConfigurationError("token_ttl 30 ile 86400 saniye arasında olmalı")
        if self.max_body_bytes < 1024:
            raise ConfigurationError("max_body_bytes en az 1024 olmalı")
        if self.login_failures < 1 or self.login_window <= 0 or self.login_lockout < 0:
            raise ConfigurationError("giriş denemesi sınırları geçersiz")
