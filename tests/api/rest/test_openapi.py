"""schemathesis against ``/openapi.json``: requests generated for every operation — valid
ones and deliberately invalid ones — never get a 5xx, and every response conforms to the
schema (status code, content type, body, headers).

schemathesis's own pytest integration does not run under this pytest, so the test walks the
operations itself and drives Hypothesis with each operation's strategy; failures of all
operations are collected and reported together.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from tests.api.conftest import Tenant

CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
]
#: Operations whose every call is slow (PDF rendering, zip export): fewer examples.
SLOW = {"GET /api/v1/invoices/{ref}", "GET /api/v1/archive/{entry_id}",
        "POST /api/v1/archive/export"}


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str], examples: int) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_no_5xx_and_conform(
    app: FastAPI, supplier: Tenant, customer: Tenant, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        label = f"{operation.method.upper()} {operation.path}"
        try:
            _run(operation, mode, supplier.headers, 4 if label in SLOW else 20)
        except BaseException as exc:  # collect every operation's failure, then report
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures.append(f"{label}: {exc}")
    assert operations >= 30
    assert not failures, "\n\n".join(failures)


def test_schema_names_security_and_examples(client: Any) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"apiKey", "bearer", "oauth2"}
    send = schema["paths"]["/api/v1/invoices"]["post"]
    assert send["requestBody"]["content"]["application/json"]["example"]["invoice"]["lines"]
    assert "application/xml" in send["requestBody"]["content"]
    assert "security" not in schema["paths"]["/api/v1/oauth/token"]["post"]
