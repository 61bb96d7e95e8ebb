"""``entegrator serve``: the integrator's web service (GİB-facing EFatura endpoint, health
check, and the faces), optionally with a job worker in the same process.

Faces (ERP APIs, portal) are listed in :data:`FACES`: functions that take the Integrator and
return the routes to mount. ``--with-worker`` runs the job worker in a thread (the usual
set-up on SQLite, which wants exactly one worker). On SIGINT/SIGTERM the web server stops
taking requests, the worker finishes its current job, then the process exits.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from entegrator.api.app import api_routes
from entegrator.cli import settings
from entegrator.core.jobs import schedule_recurring
from entegrator.core.server import create_app
from entegrator.core.wiring import Integrator
from entegrator.errors import ConfigurationError
from entegrator.store.jobs import Worker

__all__ = ["FACES", "register", "run_worker_thread", "serving", "wait_for_signal"]

log = logging.getLogger("entegrator.cli.serve")

#: Face route factories mounted next to the EFatura service (api, portal: added by their
#: engineers, one line each).
FACES: tuple[Callable[[Integrator], Sequence[BaseRoute]], ...] = (api_routes,)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve``."""
    parser = subparsers.add_parser("serve", help="entegratör web servisini çalıştır")
    settings.add_config_argument(parser)
    parser.add_argument("--host", help="dinlenecek adres (varsayılan: ayarlardaki serve.host)")
    parser.add_argument("--port", type=int, help="port (varsayılan: ayarlardaki serve.port)")
    parser.add_argument("--with-worker", action="store_true",
                        help="iş kuyruğunu da bu süreçte çalıştır (SQLite için önerilir)")
    parser.set_defaults(handler=_serve)


def run_worker_thread(integrator: Integrator) -> tuple[Worker, threading.Thread]:
    """Start a job worker for ``integrator`` in a daemon thread; stop it with ``stop()``."""
    schedule_recurring(integrator)
    worker = Worker(integrator.db, integrator.jobs, integrator.config.worker.runner,
                    clock=integrator.clock)
    thread = threading.Thread(target=worker.run, name="entegrator-worker", daemon=True)
    thread.start()
    return worker, thread


@contextmanager
def serving(app: Starlette, host: str, port: int) -> Iterator[None]:
    """uvicorn serving ``app`` on ``host:port`` in a thread, for the ``with`` block.

    uvicorn in the main thread would take SIGTERM/SIGINT itself and re-raise them after its
    shutdown, killing the process before a worker could finish its job; in a thread it
    leaves the signals to :func:`wait_for_signal`.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigurationError(f"{host}:{port} dinlenemiyor: {exc} (--port)") from exc
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False,
                                           lifespan="off", ws="none"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="entegrator-http")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            sock.close()
            raise ConfigurationError("entegratör HTTP sunucusu başlamadı")
        time.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def wait_for_signal() -> None:
    """Block until SIGINT or SIGTERM (then return, so the caller can shut down in order)."""
    stop = threading.Event()

    def handler(_signum: int, _frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _serve(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator, ExitStack() as stack:
        config = integrator.config.serve
        app = create_app(integrator, faces=[r for face in FACES for r in face(integrator)])
        if args.with_worker:
            worker, thread = run_worker_thread(integrator)
            stack.callback(thread.join, 60)
            stack.callback(worker.stop)
        host, port = args.host or config.host, args.port or config.port
        stack.enter_context(serving(app, host, port))
        print(f"entegrator dinliyor: http://{host}:{port}{config.gib.path} "
              f"(sağlık: http://{host}:{port}/healthz)", flush=True)
        wait_for_signal()
        print("durduruluyor…", flush=True)
    return 0
