"""Run the service under uvicorn (``escalate serve`` calls :func:`run`)."""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from api.logging import uvicorn_log_config
from api.main import create_app
from api.protocol import use_header_timeout
from api.settings import Settings, SettingsError, load_settings
from escalate import Advisor, RuleFileError

FACTORY = "api.main:create_app"


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
    try:
        settings = load_settings()
        advisor = Advisor.from_directory(settings.rules_dir)
    except (SettingsError, RuleFileError) as exc:
        raise SystemExit(f"escalate serve: cannot start: {exc}") from None

    # One worker: serve the engine just built. Several: each worker runs the factory.
    target: FastAPI | str = create_app(settings, advisor=advisor) if workers == 1 else FACTORY
    del advisor
    serve(target, host=host, port=port, workers=workers, factory=workers > 1,
          log_level=settings.log_level.lower(), settings=settings)


def serve(target: FastAPI | str, *, host: str, port: int, workers: int,
          factory: bool, log_level: str, settings: Settings | None = None) -> None:
    """Run ``target`` under uvicorn as escalate does (also used by the benchmark, so that
    its baseline app is served the same way).

    The connection limits come from ``settings`` (default: the defaults): the deadline for
    request headers, the keep-alive timeout and the cap on concurrent connections, beyond
    which uvicorn answers 503 at once. Every log line is JSON.
    """
    limits = settings if settings is not None else Settings()
    config = uvicorn.Config(
        target,
        host=host,
        port=port,
        workers=workers,
        factory=factory,
        limit_concurrency=limits.max_connections,
        timeout_keep_alive=limits.keep_alive_timeout_s,
        access_log=False,  # api.logging writes the access log, without query strings
        log_level=log_level,
        log_config=uvicorn_log_config(log_level),
        server_header=False,
    )
    use_header_timeout(config, limits.header_timeout_s)
    if workers == 1:
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            raise SystemExit("escalate serve: the server did not start (see the log above)")
        return
    Multiprocess(config, sockets=[_tcp_socket(config.bind_socket())]).run()


def _tcp_socket(sock: socket.socket) -> socket.socket:
    """The listening socket, re-wrapped so that it reports its real protocol.

    uvicorn binds the shared socket of a multi-worker server with protocol 0, so asyncio
    does not recognise it as TCP and never sets TCP_NODELAY on the connections it
    accepts: every keep-alive response then waits for the client's delayed ACK, about
    40 ms (uvicorn issue #3149). Re-wrapping the descriptor lets the kernel fill in the
    protocol, and asyncio sets TCP_NODELAY as it does for a single worker.
    """
    return socket.socket(fileno=sock.detach())
