"""The error the client raises for any refused request: the server's RFC 9457 problem."""

from __future__ import annotations

from typing import Any

from entegrator.errors import EntegratorError

__all__ = ["ApiError"]


class ApiError(EntegratorError):
    """The API answered 4xx/5xx. ``code`` is the stable problem code (``duplicate-document``,
    ``not-found`` …); ``problem`` the whole problem document (empty if the body was not one).
    ``retryable`` is True for 429 and 5xx answers."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        title = str(problem.get("title") or f"HTTP {status}")
        detail = problem.get("detail")
        super().__init__(f"{title}: {detail}" if detail else title,
                         gib_code=problem.get("gib_code"))
        self.status = status
        self.code = str(problem.get("code") or f"http-{status}")
        self.problem = problem

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        """Whether trying again later can succeed."""
        return self.status == 429 or self.status >= 500
