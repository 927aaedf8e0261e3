"""The service's settings: one object, read from ``ESCALATE_*`` environment variables.

A bad value stops start-up with a message naming the environment variable; the service
never starts half-configured. API keys are secrets, so no message ever repeats a value.
``ESCALATE_API_KEYS`` set but holding no usable key (e.g. ``", ,"``) is such a bad value:
the service refuses to start rather than run open by mistake; so is such an
``ESCALATE_ADMIN_KEYS`` (the operators' keys for reloading the rules, see :mod:`api.reload`).

The limits that defend the service against slow and abusive clients are here too, each
with a default that suits one instance behind a load balancer; the bounds that are not a
deployment's choice (a case's keys, a letter's length, a form's fields) are in
:mod:`api.limits`. Worst-case memory for request bodies is about
``max_requests * max_body_bytes`` (128 MiB by default): idle connections hold no body.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from escalate.service import DEFAULT_ENGINE_CACHE_SIZE as DEFAULT_SIZE
from escalate.service import default_rules_dir

ENV_PREFIX = "ESCALATE_"

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(Exception):
    """A setting has a bad value. The message names the environment variable."""


def _split_commas(value: Any) -> Any:
    """Turn ``"a, b,,c"`` into ``["a", "b", "c"]``; leave lists alone."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Everything the service can be configured with, each from ``ESCALATE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    rules_dir: Path = Field(
        default_factory=default_rules_dir,
        description="Folder of rule files and parameters loaded at start-up.",
    )
    local_rules: Path | None = Field(
        None, description="Folder of an organization's own rule files (rules, parameters, "
        "states, letters, questions, translations) laid over the rules at start-up; each "
        "override is logged and rules_version gains '+local:' and a hash of the files "
        "(rules/README.md, \"Your organization's own rules\"). Unset: none.",
    )
    max_body_bytes: int = Field(
        1_048_576, gt=0, description="Largest request body accepted; larger ones get 413."
    )
    drain_bytes: int = Field(
        4_194_304, ge=0, description="After refusing a body with 413, read and discard up "
        "to this many more bytes of it, so that the client has finished sending and reads "
        "the 413 instead of a reset connection (as nginx's lingering close does).",
    )
    header_timeout_s: float = Field(
        5.0, gt=0, description="Seconds a connection may take to send a request's headers "
        "(from connecting, or from the previous response); then it is closed.",
    )
    body_timeout_s: float = Field(
        30.0, gt=0, description="Seconds a request may take to send its whole body; then it "
        "gets 408 and the connection is closed.",
    )
    keep_alive_timeout_s: int = Field(
        5, gt=0, description="Seconds an idle keep-alive connection is kept open.",
    )
    max_connections: int = Field(
        1024, gt=0, description="Open connections per worker, idle ones included (each "
        "costs a few KB); a request arriving when this many are open gets 503 at once.",
    )
    max_requests: int = Field(
        128, gt=0, description="Requests in progress per worker; one beyond that gets 503 "
        "with Retry-After at once.",
    )
    max_connections_per_client: int = Field(
        32, ge=0, description="Open connections per client address per worker, so that one "
        "address cannot take every connection; a connection beyond that is answered 503 "
        "and closed at once. 0: no cap (e.g. when every connection comes from a proxy).",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated addresses of proxies in front "
        "of the service: their connections carry many clients', so the per-client cap "
        "does not apply to them.",
    )
    render_workers: int = Field(
        default_factory=lambda: max(1, (os.cpu_count() or 2) // 2), gt=0,
        description="Processes that render PDF and .docx letters, per worker (default: "
        "half the CPU cores, at least 1).",
    )
    render_queue: int = Field(
        4, ge=0, description="Letters that may wait for a renderer, per worker; one more "
        "gets 503 with Retry-After at once.",
    )
    render_timeout_s: float = Field(
        20.0, gt=0, description="Seconds one PDF or .docx letter may take to render; then "
        "its process is ended and the request gets 503 with Retry-After.",
    )
    render_max_tasks: int = Field(
        100, ge=0, description="Letters a render process renders before it is replaced "
        "(gives back memory); 0: never replaced.",
    )
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated API keys. When set, /v1/* needs a matching X-API-Key.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed by CORS."
    )
    log_level: LogLevel = Field("INFO", description="Level of the service's JSON log.")
    pages: bool = Field(
        True, description="Serve the web page for families (/, outside /v1/ and so never "
        "behind the API key: browsers cannot send one). false: the service is API-only.")
    frame_ancestors: str = Field(
        "'none'", description="Who may show the web page inside a frame (the page's CSP "
        "frame-ancestors): 'none' (the default: nobody), 'self', or the origins of an "
        "intake tool that embeds it, space- or comma-separated, e.g. "
        "'https://intake.example.org'. Quotes around none and self are optional.")
    scenarios_dir: Path | None = Field(
        None, description="Folder of the organization's own Gherkin scenarios (.feature "
        "files, read afresh at each reload). A reload of the rules (SIGHUP, or POST "
        "/admin/reload) is accepted only when these and the scenarios that ship with "
        "escalate all pass; unset: the built-in scenarios alone guard a reload.",
    )
    admin_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated keys of the operators who may "
        "reload the rules over HTTP (POST /admin/reload with X-Admin-Key). Separate from "
        "ESCALATE_API_KEYS: a key that asks for advice cannot change the rules. Unset: "
        "POST /admin/reload is refused (403) and only SIGHUP reloads.",
    )
    engine_cache_size: int = Field(
        DEFAULT_SIZE, ge=0, description="How many engine answers each worker remembers "
        "(escalate.engine_memory); 0 turns the memory off.",
    )

    @field_validator("api_keys", "admin_keys", "cors_origins", "trusted_proxies",
                     mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return _split_commas(value)

    @field_validator("api_keys", "admin_keys", mode="before")
    @classmethod
    def _some_usable_key(cls, value: Any) -> Any:
        """The variable (a string) is set: then it must hold at least one key."""
        if isinstance(value, str) and not _split_commas(value):
            raise ValueError("is set but holds no usable key")
        return value

    @field_validator("frame_ancestors", mode="before")
    @classmethod
    def _frame_sources(cls, value: Any) -> Any:
        """The sources as CSP writes them (``'self' https://a.example``), or an error
        saying what is accepted."""
        return frame_ancestors_sources(value) if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("rules_dir", mode="before")
    @classmethod
    def _blank_is_built_in(cls, value: Any) -> Any:
        """A blank ``ESCALATE_RULES_DIR`` means the built-in rules, as for the CLI."""
        return default_rules_dir() if isinstance(value, str) and not value.strip() else value

    @field_validator("rules_dir")
    @classmethod
    def _is_directory(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value} is not a directory of rule files")
        return value

    @field_validator("scenarios_dir", mode="before")
    @classmethod
    def _blank_scenarios_is_none(cls, value: Any) -> Any:
        """A blank ``ESCALATE_SCENARIOS_DIR`` means no scenarios of the organization."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("scenarios_dir")
    @classmethod
    def _is_scenarios_directory(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder of .feature files")
        return value

    @field_validator("local_rules", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        """A blank ``ESCALATE_LOCAL_RULES`` means no local rules."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("local_rules")
    @classmethod
    def _local_is_directory(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a directory of local rule files")
        return value


_ORIGIN = re.compile(r"^https?://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
                     r"(:[0-9]{1,5})?$")
_KEYWORDS = {"none": "'none'", "'none'": "'none'", "self": "'self'", "'self'": "'self'"}


def frame_ancestors_sources(value: str) -> str:
    """``value`` (``none``, ``self`` or origins, space- or comma-separated) as the source
    list of a CSP ``frame-ancestors`` directive; ValueError says what is accepted."""
    parts = [p for p in re.split(r"[\s,]+", value.strip().lower()) if p]
    if not parts:
        return "'none'"
    sources = []
    for part in parts:
        if part in _KEYWORDS:
            sources.append(_KEYWORDS[part])
        elif _ORIGIN.match(part.rstrip("/")):
            sources.append(part.rstrip("/"))
        else:
            raise ValueError("accepts 'none', 'self' or origins such as "
                             "https://intake.example.org (scheme and host, optional port)")
    if "'none'" in sources and len(sources) > 1:
        raise ValueError("'none' cannot be combined with other sources")
    return " ".join(dict.fromkeys(sources))


def env_name(field: str) -> str:
    """The environment variable that sets ``field``."""
    return f"{ENV_PREFIX}{field.upper()}"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings from the environment, or raise :class:`SettingsError`.

    The message names each bad variable and says what it accepts, without its value.
    """
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_input=False, include_url=False):
            field = str(error["loc"][0]) if error["loc"] else "settings"
            message = error["msg"]
            if field == "api_keys":  # never repeat a secret, even inside a message
                message = ("is set but holds no usable key: give one or more comma-separated "
                           "keys, or unset it to run open")
            elif field == "admin_keys":
                message = ("is set but holds no usable key: give one or more comma-separated "
                           "keys, or unset it to turn reloading over HTTP off")
            lines.append(f"{env_name(field)}: {message}")
        raise SettingsError("bad setting: " + "; ".join(lines)) from None
