"""Child-process side of the numbering contention test (tests/core/test_numbering.py).

Lives in its own module so ``multiprocessing`` (spawn) can import it by name.
"""

from __future__ import annotations

import random

from entegrator.core.numbering import next_numbers
from entegrator.store import Database, StoreConfig
from entegrator.store.tenancy import TenantScope


class Rollback(Exception):
    """Raised on purpose to abandon a transaction after taking numbers."""


def hammer(url: str, pg_schema: str | None, tenant_id: int, rounds: int, seed: int) -> list[str]:
    """Take numbers ``rounds`` times (1–3 at once, every fourth transaction rolled back);
    return the numbers of the transactions that committed."""
    rng = random.Random(seed)
    db = Database.from_config(StoreConfig(url=url, pg_schema=pg_schema, pool_size=1))
    kept: list[str] = []
    try:
        for round_no in range(rounds):
            try:
                with db.transaction() as conn:
                    numbers = next_numbers(conn, TenantScope(conn, tenant_id), "ABC", 2030,
                                           rng.randint(1, 3))
                    if round_no % 4 == 3:
                        raise Rollback
            except Rollback:
                continue
            kept.extend(numbers)
    finally:
        db.dispose()
    return kept
