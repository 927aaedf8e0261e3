"""Run the service under uvicorn (``escalate serve`` calls :func:`run`)."""

from __future__ import annotations

import logging
import os
import signal
import socket
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from escalate.errors import RuleFileError

from .logging import uvicorn_log_config
from .main import create_app
from .protocol import use_defences
from .reload import RELOAD_SIGNAL, SUPERVISOR_ENV, build_candidate, hold_signal, signal_held
from .settings import Settings, SettingsError, load_settings

# The app factory, by the name this package is imported under: ``escalate_api`` once
# installed (the wheel ships the repository's api/ folder under its own name), ``api`` in
# a checkout's tests.
FACTORY = f"{__package__}.main:create_served_app"
WORKER_HEALTHCHECK_S = 30


def run(host: str, port: int, workers: int) -> None:
    """Serve on ``host:port`` with ``workers`` processes, until interrupted.

    The settings and the rulebook are checked here first, so that a bad value or a rule
    file that does not load stops start-up with one clear message (exit status 1) rather
    than a worker traceback. With one worker, the engine built by that check serves the
    requests; with several, uvicorn starts each worker from the factory and each worker
    builds its own engine (the service keeps no state, so workers share nothing).
    """
    if workers < 1:
        raise SystemExit("escalate serve: --workers must be 1 or more")
    hold_signal()  # a SIGHUP while starting waits, and reloads once the app can (api.reload)
    try:
        settings = load_settings()
        service = build_candidate(settings)
    except (SettingsError, RuleFileError) as exc:
        raise SystemExit(f"escalate serve: cannot start: {exc}") from None

    # One worker: serve the engine just built. Several: each worker runs the factory.
    target: FastAPI | str = (create_app(settings, advisor=service, settle_heap=True)
                             if workers == 1 else FACTORY)
    del service
    serve(target, host=host, port=port, workers=workers, factory=workers > 1,
          log_level=settings.log_level.lower(), settings=settings)


def serve(target: FastAPI | str, *, host: str, port: int, workers: int,
          factory: bool, log_level: str, settings: Settings | None = None,
          loop: str = "auto", parser: str = "auto") -> None:
    """Run ``target`` under uvicorn as escalate does (also used by the benchmark, so that
    its baseline app is served the same way).

    The connection limits come from ``settings`` (default: the defaults): the deadline for
    request headers, the keep-alive timeout, and the caps on open connections in all and
    per client address, beyond which a connection is answered 503 at once
    (:mod:`api.protocol`, uvicorn's own ``limit_concurrency`` is not used: it counted idle
    connections against requests). Every log line is JSON. Each worker gets those, and
    the protocol that applies them. With several workers each listens on a socket of
    its own (:class:`ReusePortListener`) and uvicorn's supervisor restarts a worker that
    dies and stops them all on SIGINT/SIGTERM.

    The event loop is uvloop's and the HTTP parser httptools' (both dependencies, both
    picked by "auto" when installed; about 1.1x and 1.2x the requests a core serves,
    bench/README.md); ``loop="asyncio"`` and ``parser="h11"`` choose the pure-Python
    ones (the benchmark's baseline of the service before issue 12 does).
    """
    limits = settings if settings is not None else Settings()
    config = uvicorn.Config(
        target,
        host=host,
        port=port,
        workers=workers,
        factory=factory,
        timeout_keep_alive=limits.keep_alive_timeout_s,
        access_log=False,  # api.logging writes the access log, without query strings
        log_level=log_level,
        log_config=uvicorn_log_config(log_level),
        server_header=False,
        loop=loop,
        # the supervisor's ping of each worker: a worker that loads and proves its
        # rulebook on a busy machine may take longer than uvicorn's 5 s to answer, and
        # was then killed and restarted over and over (seen at load average 14)
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )
    use_defences(config, header_timeout_s=limits.header_timeout_s,
                 max_connections=limits.max_connections,
                 max_per_client=limits.max_connections_per_client,
                 exempt=limits.trusted_proxies, parser=parser)
    if workers == 1:
        # Until the app has started and handles SIGHUP (a reload, api.reload), one would
        # end the process (its default): hold it meanwhile; the app then reloads.
        hold_signal()
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            raise SystemExit("escalate serve: the server did not start (see the log above)")
        return
    try:
        listener = ReusePortListener.reserve(host, port)
    except OSError as exc:
        raise SystemExit(f"escalate serve: cannot listen on {host}:{port}: {exc.strerror}") \
            from None
    logging.getLogger("uvicorn.error").info(
        "listening", extra={"host": host, "port": listener.getsockname()[1],
                            "workers": workers, "socket": "one SO_REUSEPORT socket per worker"})
    # uvicorn's supervisor starts the workers, restarts one that dies or hangs, and stops
    # them all on SIGINT/SIGTERM; each worker binds its own socket (see ReusePortListener).
    # SIGHUP: every worker reloads its rules (Supervisor).
    os.environ[SUPERVISOR_ENV] = str(os.getpid())  # inherited by the workers it starts
    try:
        Supervisor(config, sockets=[listener]).run()
    finally:
        os.environ.pop(SUPERVISOR_ENV, None)
    listener.close()


class Supervisor(Multiprocess):
    """uvicorn's supervisor, but SIGHUP asks every worker to reload its rules.

    uvicorn's own answer to SIGHUP (0.55) restarts each worker from the app factory, which
    would load whatever rule files are on disk, unchecked by the scenarios. Here SIGHUP is
    passed on to every live worker; each one builds the new rules beside the
    serving ones, runs the scenarios against them, and swaps only if all pass
    (:mod:`api.reload`), so every worker reaches the same verdict on the same files. A
    worker's ``POST /admin/reload`` sends SIGHUP here (its parent) for the same reason.

    Every worker is started with SIGHUP held (blocked, inherited from this process while
    it starts them): one sent before the worker's app handles it waits, and reloads then,
    instead of ending the worker.
    """

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets)
        # Its handler is installed: a SIGHUP held while starting (run) is handled now.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {RELOAD_SIGNAL})

    def init_processes(self) -> None:
        with signal_held():
            super().init_processes()

    def keep_subprocess_alive(self) -> None:
        with signal_held():  # it starts a worker in place of one that died
            super().keep_subprocess_alive()

    def handle_ttin(self) -> None:
        with signal_held():
            super().handle_ttin()

    def handle_hup(self) -> None:
        told = []
        for process in list(self.processes):
            if process.pid is None or process.exitcode is not None:
                continue  # dead: keep_subprocess_alive replaces it
            try:
                os.kill(process.pid, RELOAD_SIGNAL)
            except ProcessLookupError:  # it died just now
                continue
            told.append(process.pid)
        logging.getLogger("uvicorn.error").info(
            "Received SIGHUP: every worker reloads its rules if they pass the scenarios",
            extra={"workers": told})


def _reuse_port_socket(family: int, host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` with SO_REUSEPORT and TCP_NODELAY, not yet
    listening (uvicorn's server calls ``listen``)."""
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class ReusePortListener(socket.socket):
    """The address every worker listens on, each worker with a socket of its own.

    uvicorn's multi-worker supervisor hands the same sockets to every worker it starts (or
    restarts), by pickling them into the new process. With one shared listening socket
    the kernel wakes whichever worker accepts first, and under keep-alive load one worker
    often took every connection while the other idled. This object is what the
    supervisor hands out instead: in the parent it is bound but never listens (so it
    receives no connections, and keeps the port reserved), and it pickles as "bind a new
    socket to this address": each worker unpickles it into its own socket with
    SO_REUSEPORT, so the kernel spreads new connections evenly across the workers' sockets.

    Every such socket is created with protocol IPPROTO_TCP and TCP_NODELAY: asyncio sets
    TCP_NODELAY on accepted connections only when the listening socket reports TCP as its
    protocol; without it every keep-alive response waits ~40 ms for the client's delayed
    ACK (uvicorn issue #3149).
    """

    @classmethod
    def reserve(cls, host: str, port: int) -> ReusePortListener:
        """The parent's placeholder, bound to ``host:port`` (port 0: a free port)."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        plain = _reuse_port_socket(family, host, port)
        return cls(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, fileno=plain.detach())

    def __reduce__(self) -> tuple[Any, tuple[int, str, int]]:
        host, port = self.getsockname()[:2]
        return _reuse_port_socket, (int(self.family), host, port)
