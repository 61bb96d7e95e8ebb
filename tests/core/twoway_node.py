"""One process of an integrator in the two-way tests: ``serve``, ``worker`` or ``all``.

``python -m tests.core.twoway_node CONFIG.pickle ROLE`` builds the Integrator from the
pickled :class:`~entegrator.core.config.EntegratorConfig` and runs what ``entegrator serve``
and ``entegrator worker`` run (the EFatura endpoint of :func:`entegrator.core.server.create_app`,
a :class:`~entegrator.store.jobs.Worker` with every handler) until it is killed.
"""

from __future__ import annotations

import logging
import pickle
import sys
from contextlib import ExitStack
from pathlib import Path

from entegrator.cli.serve import run_worker_thread, serving, wait_for_signal
from entegrator.core.server import create_app
from entegrator.core.wiring import build_integrator


def main(argv: list[str]) -> int:
    """Run the role ``argv[1]`` of the node configured in ``argv[0]``."""
    config = pickle.loads(Path(argv[0]).read_bytes())
    role = argv[1]
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    integrator = build_integrator(config, schema="require")
    with ExitStack() as stack:
        stack.callback(integrator.close)
        if role in ("worker", "all"):
            worker, thread = run_worker_thread(integrator)
            stack.callback(thread.join, 30)
            stack.callback(worker.stop)
        if role in ("serve", "all"):
            stack.enter_context(serving(create_app(integrator), "127.0.0.1",
                                        config.serve.port))
        print(f"ready {role}", flush=True)
        wait_for_signal()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
