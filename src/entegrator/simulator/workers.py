"""The simulator's in-process job workers (threads running :class:`entegrator.store.jobs.Worker`).

Two groups, so a slow integrator never holds up Merkez's checks: *process* workers run
``sim.process`` (CPU: XSD, schematron, signatures — the validation engine is shared and
serialised anyway), *network* workers run ``sim.deliver``, ``sim.push`` and ``sim.poll``.
The workers of each group wait on their :class:`~entegrator.simulator.runtime.Waker`, so a
job enqueued by the simulator itself is picked up at once by one worker of its group.
Pending jobs survive a restart (the store's leases hand a dead worker's jobs to the next one).
"""

from __future__ import annotations

import logging
import threading
from functools import partial

from entegrator.simulator import delivery, processing
from entegrator.simulator.runtime import DELIVER, POLL, PROCESS, PUSH, Runtime
from entegrator.store.jobs import (
    BreakerPolicy,
    HandlerRegistry,
    JobHandler,
    RetryPolicy,
    Worker,
    WorkerConfig,
)

__all__ = ["WorkerPool"]

log = logging.getLogger("entegrator.simulator")

#: Checks are local: a failure is a bug or a database hiccup, retried a few times.
PROCESS_RETRY = RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=30.0)
#: Pushes to an integrator that is down: back off up to a minute, park after ~10 minutes.
PUSH_RETRY = RetryPolicy(max_attempts=12, base_delay=1.0, factor=2.0, max_delay=60.0)
#: Deliveries and polls schedule their own GİB-time retries; these cover database errors.
NETWORK_RETRY = RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=30.0)


def _registries(rt: Runtime) -> tuple[HandlerRegistry, HandlerRegistry]:
    process = HandlerRegistry([JobHandler(PROCESS, partial(processing.process, rt), PROCESS_RETRY)])
    network = HandlerRegistry([
        JobHandler(DELIVER, partial(delivery.deliver, rt), NETWORK_RETRY),
        JobHandler(PUSH, partial(delivery.push, rt), PUSH_RETRY),
        JobHandler(POLL, partial(delivery.poll, rt), NETWORK_RETRY),
    ])
    return process, network


class WorkerPool:
    """Starts and stops the simulator's worker threads."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        settings = rt.config.workers
        config = WorkerConfig(batch_size=settings.batch_size, lease=settings.lease,
                              poll_interval=settings.poll_interval, reap_interval=5.0,
                              probe_interval=1.0,
                              breaker=BreakerPolicy(failure_threshold=20, cooldown=5.0))
        process, network = _registries(rt)
        groups = rt.wakers.groups
        self.workers = [
            *(Worker(rt.db, process, config, clock=groups["process"])
              for _ in range(settings.process_workers)),
            *(Worker(rt.db, network, config, clock=groups["network"])
              for _ in range(settings.network_workers)),
        ]
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    def start(self) -> None:
        """Start one thread per worker."""
        if self._threads:
            return
        self._stopping.clear()
        for index, worker in enumerate(self.workers):
            thread = threading.Thread(target=self._run, args=(worker,), daemon=True,
                                      name=f"gib-sim-worker-{index}")
            thread.start()
            self._threads.append(thread)

    def _run(self, worker: Worker) -> None:
        while not self._stopping.is_set():
            try:
                worker.run()
            except Exception:
                log.exception("simülatör işçisi %s hata verdi; yeniden başlıyor", worker.worker_id)
                self._stopping.wait(1.0)

    def stop(self, timeout: float = 30.0) -> None:
        """Let running jobs finish, then stop every worker."""
        self._stopping.set()
        for worker in self.workers:
            worker.stop()
        self._rt.wakers.kick_all()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
