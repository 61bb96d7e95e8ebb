"""Tests of entegrator.core.numbering: gapless, duplicate-free series under contention."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from entegrator.core.numbering import current_sequence, next_numbers
from entegrator.core.wiring import Integrator
from entegrator.errors import InvalidIdentifier
from entegrator.store.domain import invoice_series
from entegrator.store.tenancy import TenantScope
from tests.core.numbering_worker import hammer
from tests.core.support import SeededTaxpayer


def _take(integrator: Integrator, tenant_id: int, count: int = 1, prefix: str = "ABC",
          year: int = 2030) -> list[str]:
    with integrator.db.transaction() as conn:
        return next_numbers(conn, TenantScope(conn, tenant_id), prefix, year, count)


def _sequence(numbers: list[str]) -> list[int]:
    return sorted(int(n[7:]) for n in numbers)


def test_first_number_of_a_series_is_one(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    assert _take(integrator, supplier.id) == ["ABC2030000000001"]


def test_numbers_continue_consecutively(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    _take(integrator, supplier.id, 2)
    assert _take(integrator, supplier.id, 3) == [
        "ABC2030000000003", "ABC2030000000004", "ABC2030000000005"]


def test_each_year_and_prefix_has_its_own_counter(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    _take(integrator, supplier.id, 5)
    assert _take(integrator, supplier.id, year=2031) == ["ABC2031000000001"]
    assert _take(integrator, supplier.id, prefix="XYZ") == ["XYZ2030000000001"]


def test_each_taxpayer_has_its_own_counter(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    _take(integrator, supplier.id, 7)
    assert _take(integrator, customer.id) == ["ABC2030000000001"]


def test_a_rolled_back_transaction_gives_its_numbers_back(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    _take(integrator, supplier.id)
    with pytest.raises(RuntimeError), integrator.db.transaction() as conn:
        next_numbers(conn, TenantScope(conn, supplier.id), "ABC", 2030, 4)
        raise RuntimeError("abandon")
    assert _take(integrator, supplier.id) == ["ABC2030000000002"]


def test_a_rolled_back_first_use_leaves_no_counter_row(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    with pytest.raises(RuntimeError), integrator.db.transaction() as conn:
        next_numbers(conn, TenantScope(conn, supplier.id), "NEW", 2030, 1)
        raise RuntimeError("abandon")
    with integrator.db.transaction(read_only=True) as conn:
        assert current_sequence(TenantScope(conn, supplier.id), "NEW", 2030) == 0


@pytest.mark.parametrize(("prefix", "year"), [("ab", 2030), ("abc", 2030), ("ABC", 1999)])
def test_bad_series_is_refused(
    integrator: Integrator, supplier: SeededTaxpayer, prefix: str, year: int
) -> None:
    with pytest.raises(InvalidIdentifier):
        _take(integrator, supplier.id, prefix=prefix, year=year)


def test_the_series_ends_at_nine_digits(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    _take(integrator, supplier.id, 9_999)
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, supplier.id)
        scope.execute(scope.update(invoice_series).values(last_sequence=999_999_998))
    assert _take(integrator, supplier.id) == ["ABC2030999999999"]
    with pytest.raises(InvalidIdentifier, match="tükendi"):
        _take(integrator, supplier.id)


def test_threads_hammering_one_series_leave_no_gap_and_no_duplicate(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    url = integrator.config.database.url
    schema = integrator.config.database.pg_schema
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda seed: hammer(url, schema, supplier.id, 25, seed),
                                range(6)))
    numbers = [n for result in results for n in result]
    assert _sequence(numbers) == list(range(1, len(numbers) + 1))


def test_processes_hammering_one_series_leave_no_gap_and_no_duplicate(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    url = integrator.config.database.url
    schema = integrator.config.database.pg_schema
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        futures = [pool.submit(hammer, url, schema, supplier.id, 30, seed) for seed in range(4)]
        numbers = [n for future in futures for n in future.result(timeout=300)]
    assert _sequence(numbers) == list(range(1, len(numbers) + 1))
    with integrator.db.transaction(read_only=True) as conn:
        assert current_sequence(TenantScope(conn, supplier.id), "ABC", 2030) == len(numbers)
