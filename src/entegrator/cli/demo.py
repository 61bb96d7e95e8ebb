"""``entegrator demo``: a GİB simulator, the integrator (web service + worker) and two demo
taxpayers on SQLite, ready to send a first invoice — all in one process.

::

    entegrator demo [--dir var/demo] [--port 8080] [--sim-port 8085]
    entegrator demo send-sample [--dir var/demo] [--file fatura.json]   (another terminal)
    entegrator demo --check        (headless: one invoice end to end, exit 0 on success)

The taxpayers' seals come from a throw-away test PKI (Anadolu Bilişim: PKCS#12; Karadeniz
Gıda: a key inside a SoftHSM2 token). Their aliases are registered at the simulator the real
way — a USERENVELOPE signed by the integrator and counter-signed by the taxpayer — and the
user list is then downloaded from it. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from entegrator.cli.serve import FACES, run_worker_thread, serving, wait_for_signal
from entegrator.core import demo, userlist
from entegrator.core.server import create_app
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator, build_integrator
from entegrator.errors import ConfigurationError
from entegrator.gib import MERKEZ_PATH
from entegrator.simulator import IntegratorConfig, Simulator, SimulatorConfig
from entegrator.simulator.config import ScheduleConfig
from entegrator.store import Database, StoreConfig

__all__ = ["register"]

DEFAULT_DIR = Path("var/demo")
_SUCCESS = frozenset({DocumentState.SEND_SUCCEED, DocumentState.SEND_WAIT_APPLICATION_RESPONSE,
                      DocumentState.ACCEPTED})
_FAILED = frozenset({DocumentState.SEND_FAILED, DocumentState.SIGN_FAILED,
                     DocumentState.PACKAGE_FAILED})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo`` and ``demo send-sample``."""
    parser = subparsers.add_parser("demo", help="GİB simülatörü + entegratör + iki örnek mükellef")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="demo dizini (var/demo)")
    parser.add_argument("--port", type=int, default=8080, help="entegratör portu (8080)")
    parser.add_argument("--sim-port", type=int, default=8085, help="simülatör portu (8085)")
    parser.add_argument("--time-factor", type=float, default=3600.0,
                        help="simülatörde GİB zamanı kaç kat hızlı akar (3600)")
    parser.add_argument("--check", action="store_true",
                        help="arayüzsüz çalış: örnek faturayı gönder, başarıyla bitince çık")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="--check için en uzun bekleme, saniye (180)")
    parser.set_defaults(handler=_demo)
    commands = parser.add_subparsers(dest="demo_command", metavar="İŞLEM")
    commands.required = False
    send = commands.add_parser("send-sample",
                               help="çalışan demoda Anadolu Bilişim'den örnek fatura gönder")
    send.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="demo dizini (var/demo)")
    send.add_argument("--file", type=Path, help="JSON fatura tanımı (yoksa yerleşik örnek)")
    send.add_argument("--no-wait", action="store_true", help="sonucu bekleme")
    send.set_defaults(handler=_send_sample)


# -- running the demo ----------------------------------------------------------------------

def _demo(args: argparse.Namespace) -> int:
    root = args.dir.resolve()
    print(f"demo hazırlanıyor: {root}", flush=True)
    paths = demo.prepare(root)
    os.environ.update(paths.token().environ())  # before the PKCS#11 library is first loaded
    port = _free_port() if args.check else args.port
    sim_port = _free_port() if args.check else args.sim_port
    with ExitStack() as stack:
        stack.enter_context(_simulator(paths, port, sim_port, args.time_factor))
        base = f"http://127.0.0.1:{sim_port}"
        demo.write_config(paths, port=port, merkez_url=Simulator.service_url(base, "demo"),
                          userlist_url=Simulator.userlist_url(base))
        integrator = build_integrator(demo.load(paths), schema="upgrade")
        stack.callback(integrator.close)
        callers = demo.seed(integrator, paths)
        app = create_app(integrator, faces=[r for face in FACES for r in face(integrator)])
        stack.enter_context(serving(app, "127.0.0.1", port))
        worker, thread = run_worker_thread(integrator)
        stack.callback(thread.join, 60)
        stack.callback(worker.stop)
        print("etiketler GİB'e (simülatör) USERENVELOPE ile kaydettiriliyor…", flush=True)
        demo.register_all(integrator, callers)
        demo.wait_for(lambda: demo.aliases_registered(integrator, callers), timeout=120,
                      what="etiket kaydı")
        synced = userlist.refresh(integrator, full=True)
        print(f"kullanıcı listesi indirildi: {synced.users} kayıtlı kullanıcı", flush=True)
        if args.check:
            return _check(integrator, args.timeout)
        _instructions(paths, port, base)
        wait_for_signal()
        print("\ndurduruluyor…", flush=True)
    return 0


@contextmanager
def _simulator(paths: demo.DemoPaths, port: int, sim_port: int,
               time_factor: float) -> Iterator[Simulator]:
    identity_vkn, identity_title = demo.INTEGRATOR
    config = SimulatorConfig(
        integrators=(IntegratorConfig("demo", identity_title, identity_vkn,
                                      f"http://127.0.0.1:{port}{MERKEZ_PATH}"),),
        trust_store=paths.trust,
        schedule=ScheduleConfig(time_factor=time_factor),
    )
    db = Database.from_config(StoreConfig(url=f"sqlite:///{paths.simulator_database}"))
    simulator = Simulator(config, db)
    try:
        with simulator:
            simulator.serve_in_thread(port=sim_port)
            yield simulator
    finally:
        db.dispose()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _check(integrator: Integrator, timeout: float) -> int:
    sent = demo.send_sample(integrator)
    print(f"örnek fatura kuyrukta: belge {sent.document_id}, ETTN {sent.ettn}", flush=True)
    state: list[DocumentState] = []

    def settled() -> bool:
        state[:] = [demo.document_state(integrator, sent.document_id)]
        if state[0] in _FAILED:
            raise ConfigurationError(f"örnek fatura gönderilemedi: {state[0].label}")
        return state[0] in _SUCCESS and demo.received_count(integrator) >= 1

    demo.wait_for(settled, timeout=timeout, what="örnek faturanın alıcıya ulaşması")
    print(f"başarılı: {state[0].status} — fatura alıcının gelen kutusunda", flush=True)
    return 0


def _instructions(paths: demo.DemoPaths, port: int, base: str) -> None:
    here = f"http://127.0.0.1:{port}"
    lines = [
        "",
        "entegrator demo hazır.",
        f"  Entegratörün GİB servisi : {here}{MERKEZ_PATH}",
        f"  Sağlık denetimi          : {here}/healthz",
        f"  GİB simülatörü           : {base}",
        f"  Veritabanı (SQLite)      : {paths.database}",
        "  Mükellefler (etiketler GİB'de kayıtlı):",
    ]
    kinds = ("mali mühür: PKCS#12 dosyası", "mali mühür: SoftHSM2 (PKCS#11)")
    for party, kind in zip(demo.TAXPAYERS, kinds, strict=True):
        lines += [f"    {party.vkn}  {party.title}",
                  f"      kullanıcı {party.username} / parola {party.password}; {kind}",
                  f"      GB {party.gb}   PK {party.pk}"]
    anadolu, karadeniz = demo.TAXPAYERS
    lines += [
        "  ERP web servisleri:",
        f"    REST API        : {here}/api/v1   (OpenAPI: {here}/openapi.json)",
        f"    İzibiz SOAP     : {here}/AuthenticationWS?wsdl  {here}/EInvoiceWS?wsdl",
        f"    EDM SOAP        : {here}/EFaturaEDM/EFaturaEDM.svc?wsdl",
        f"    API anahtarları : {paths.secrets}/<kullanıcı>.apikey",
        "  İlk faturayı göndermek için başka bir terminalde:",
        f"    entegrator demo send-sample --dir {paths.root}",
        "  ya da REST istemcisiyle:",
        f"    export ENTEGRATOR_CLIENT_URL={here}",
        f"    export ENTEGRATOR_CLIENT_API_KEY=$(cat {paths.api_key_file(anadolu)})",
        "    entegrator client send examples/01-temel-satis.json",
        f"    ENTEGRATOR_CLIENT_API_KEY=$(cat {paths.api_key_file(karadeniz)}) "
        "entegrator client inbox    # alıcının gelen kutusu",
        "  Durdurmak için Ctrl-C.",
        "",
    ]
    print("\n".join(lines), flush=True)


# -- send-sample ---------------------------------------------------------------------------

def _send_sample(args: argparse.Namespace) -> int:
    paths = demo.DemoPaths(args.dir.resolve())
    if not paths.config.exists():
        raise ConfigurationError(f"{paths.root} bir demo dizini değil; önce 'entegrator demo'")
    spec = None
    if args.file is not None:
        spec = json.loads(args.file.read_text(encoding="utf-8"))
        for key in ("number", "ettn"):
            spec.pop(key, None)  # numbered from the ENT series, a fresh ETTN
    integrator = build_integrator(demo.load(paths))
    try:
        sent = demo.send_sample(integrator, spec)
        print(f"fatura gönderim kuyruğunda: belge {sent.document_id}, ETTN {sent.ettn}",
              flush=True)
        if args.no_wait:
            return 0
        state: list[DocumentState] = []

        def settled() -> bool:
            state[:] = [demo.document_state(integrator, sent.document_id)]
            return state[0] in _SUCCESS | _FAILED

        demo.wait_for(settled, timeout=120, what="faturanın sonucu (demo çalışıyor mu?)")
    finally:
        integrator.close()
    print(f"durum: {state[0].status} ({state[0].label})")
    return 0 if state[0] in _SUCCESS else 1
