"""The service's settings: one object, read from ``ESCALATE_*`` environment variables.

A bad value stops start-up with a message naming the environment variable; the service
never starts half-configured. API keys are secrets, so no message ever repeats a value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from escalate import default_rules_dir

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
    max_body_bytes: int = Field(
        1_048_576, gt=0, description="Largest request body accepted; larger ones get 413."
    )
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated API keys. When set, /v1/* needs a matching X-API-Key.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed by CORS."
    )
    log_level: LogLevel = Field("INFO", description="Level of the service's JSON log.")

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return _split_commas(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("rules_dir")
    @classmethod
    def _is_directory(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value} is not a directory of rule files")
        return value


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
                message = "is not a valid comma-separated list of keys"
            lines.append(f"{env_name(field)}: {message}")
        raise SettingsError("bad setting: " + "; ".join(lines)) from None
