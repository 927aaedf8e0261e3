"""The service's structured log: one JSON object per line, on standard error.

Each request gets one access line (method, path, status, duration_ms, rules_version).
Nothing a client sends beyond the method and the path is logged: no body, no query
string, no headers; a path longer than :data:`MAX_LOGGED_PATH` characters is cut there
(with ``path_length`` saying how long it was), and a method (the client chooses it, any
token) longer than :data:`MAX_LOGGED_METHOD`. Every text in every line (a field or the
message, of any logger) has ANSI escape sequences and control characters removed
(:func:`clean_text`), so that nothing a client sends can colour, move or forge lines in
a terminal or a log viewer. With the logging set up here (:func:`configure_logging`), the
access line is written straight to standard error, formatted as the formatter formats
every other line; with any other configuration it goes through :mod:`logging`. A request
whose client hung up before its response is logged with status 499. uvicorn's own lines
(start-up, shutdown, its warnings) are JSON too: :func:`uvicorn_log_config` is the log
configuration handed to uvicorn.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import State
from starlette.types import ASGIApp, Scope

from .limits import MAX_LOGGED_FIELD
from .observe import RequestObserver

LOGGER_NAME = "escalate.api"
MAX_LOGGED_PATH = MAX_LOGGED_FIELD
MAX_LOGGED_METHOD = 16
# ANSI escape sequences (CSI ... final byte, OSC ... BEL/ST, and two-byte escapes), then
# any other C0/C1 control character.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
access_log = logging.getLogger(f"{LOGGER_NAME}.access")

# Attributes every LogRecord has; anything else was passed through ``extra=``.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def clean_text(value: str) -> str:
    """``value`` without ANSI escape sequences and control characters (a tab or newline
    becomes a space)."""
    if value.isprintable():
        return value
    return _CONTROL.sub(lambda m: " " if m.group() in "\t\n\r" else "", _ANSI.sub("", value))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean(v) for k, v in value.items()}
    return value


def json_line(created: float, level: str, logger: str, message: str,
              fields: dict[str, Any]) -> str:
    """One log line: time, level, logger, message, then ``fields``, every text cleaned."""
    entry: dict[str, Any] = {
        "time": datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": logger,
        "message": clean_text(message),
    }
    for key, value in fields.items():
        entry[key] = _clean(value)
    return json.dumps(entry, default=str)


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message and extras, every
    text cleaned of escape sequences and control characters."""

    def format(self, record: logging.LogRecord) -> str:
        return json_line(record.created, record.levelname, record.name, record.getMessage(),
                         {key: value for key, value in vars(record).items()
                          if key not in _RECORD_FIELDS and not key.startswith("_")})


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Write to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)

    def write_line(self, line: str) -> None:
        """Write a line formatted already (:func:`json_line`), as :meth:`emit` would."""
        with self.lock or _NO_LOCK:
            try:
                self.stream = stream = sys.stderr
                stream.write(line + self.terminator)
                stream.flush()
            except RecursionError:
                raise
            except Exception:
                self.handleError(logging.makeLogRecord({"msg": "request"}))


_NO_LOCK = threading.Lock()


def _only_handler(logger: logging.Logger) -> _StderrHandler | None:
    """The service's own JSON handler when an INFO record of ``logger`` (a child of
    ``escalate.api``) would go to it alone, unfiltered, as :func:`configure_logging` sets
    up; None when logging is configured otherwise (the record then goes through logging)."""
    parent = logger.parent
    if (logger.handlers or logger.filters or not logger.propagate or parent is None
            or parent.name != LOGGER_NAME or parent.propagate or parent.filters
            or len(parent.handlers) != 1):
        return None
    handler = parent.handlers[0]
    if (type(handler) is not _StderrHandler or type(handler.formatter) is not JsonFormatter
            or handler.filters or handler.level > logging.INFO):
        return None
    return handler


def configure_logging(level: str) -> None:
    """Send the ``escalate.api`` loggers to standard error as JSON lines, at ``level``.

    Idempotent: building several apps in one process adds one handler only, even when
    this package is imported twice under two names (``api`` in a checkout's tests and
    ``escalate_api``, which ``escalate scenarios run`` loads in the same process): the
    handler is recognised by its formatter's class name.
    """
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    if not any(type(h.formatter).__name__ == JsonFormatter.__name__
               for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.propagate = False


def uvicorn_log_config(level: str) -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` for uvicorn: its loggers write JSON lines to
    standard error, like the service's own."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stderr": {"()": f"{__name__}._StderrHandler", "formatter": "json"}},
        "loggers": {
            name: {"handlers": ["stderr"], "level": level.upper(), "propagate": False}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
        },
    }


def loggable_path(path: str) -> dict[str, Any]:
    """The access line's path fields: the path, cut at :data:`MAX_LOGGED_PATH`."""
    if len(path) <= MAX_LOGGED_PATH:
        return {"path": path}
    return {"path": path[:MAX_LOGGED_PATH] + "...", "path_length": len(path)}


def loggable_method(method: str) -> str:
    """The access line's method, cut at :data:`MAX_LOGGED_METHOD` characters."""
    return method if len(method) <= MAX_LOGGED_METHOD else method[:MAX_LOGGED_METHOD] + "..."


class AccessLogMiddleware(RequestObserver):
    """Log one line per HTTP request once its response is sent (or it failed).

    ``state`` is the app's state, where the lifespan puts the advisor whose
    ``rules_version`` each line reports.
    """

    def __init__(self, app: ASGIApp, state: State) -> None:
        super().__init__(app)
        self.state = state

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        if not access_log.isEnabledFor(logging.INFO):
            return
        advisor = getattr(self.state, "advisor", None)
        fields = {
            "method": loggable_method(scope["method"]),
            **loggable_path(scope["path"]),
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "rules_version": getattr(advisor, "rules_version", None),
        }
        handler = _only_handler(access_log)
        if handler is None:  # logging configured otherwise: its handlers, its filters
            access_log.info("request", extra=fields)
            return
        # As configured by configure_logging: the same line JsonFormatter would write,
        # without a LogRecord (its caller lookup, its handler chain): a tenth of a
        # remembered advice's time in process
        handler.write_line(json_line(time.time(), "INFO", access_log.name, "request", fields))
