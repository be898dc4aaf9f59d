"""Settings of the scoring service, from arguments or ``TRIVSELSCORE_*`` environment variables.

Plain pydantic: no settings library is needed. Every field has a secure default:
bind to the loopback interface only, no token (so: reachable from this machine
only), a 1 MiB request body limit, no CORS, and timeouts for slow clients (10 s
for the request head, 30 s for the body, 5 s for an idle keep-alive connection).

Examples:
    >>> settings = Settings.from_env({"TRIVSELSCORE_PORT": "9000", "TRIVSELSCORE_CORS_ORIGINS": "https://a.example"})
    >>> settings.host, settings.port, settings.cors_origins
    ('127.0.0.1', 9000, ('https://a.example',))
    >>> Settings.from_env({"TRIVSELSCORE_PORT": "http"})
    Traceback (most recent call last):
    ...
    trivselscore.service.settings.SettingsError: TRIVSELSCORE_PORT: 'http' is not a whole number
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

__all__ = ["ENV_PREFIX", "MIN_TOKEN_LENGTH", "Settings", "SettingsError"]

ENV_PREFIX = "TRIVSELSCORE_"
"""Prefix of every environment variable the service reads."""

MIN_TOKEN_LENGTH = 16
"""A bearer token shorter than this is refused: it would be guessable."""

LogLevel = Literal["critical", "error", "warning", "info", "debug"]

_INTEGERS = ("port", "workers", "max_body_bytes", "keep_alive_timeout")
_NUMBERS = ("header_timeout", "body_timeout")
_BOOLEANS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}


class SettingsError(ValueError):
    """A setting is invalid; the message names the setting (or its environment variable)."""


class Settings(BaseModel):
    """How the service runs.

    Attributes:
        host: The interface to bind (``serve`` only). Default: loopback only.
        port: The TCP port (``serve`` only).
        workers: Worker processes (``serve`` only).
        token: The bearer token every request except ``/health`` must carry;
            ``None`` (default) requires none.
        token_file: A file holding the token (its whitespace is stripped);
            preferred to ``token``, which is visible in the environment.
        max_body_bytes: The largest request body accepted, in bytes, counted
            as it arrives (a larger ``Content-Length`` is refused at once).
        cors_origins: Browser origins allowed to call the service; none by default.
        log_level: The level of the service's own log lines.
        docs: Serve the interactive documentation at ``/docs`` (it loads
            scripts from a CDN, so it is off by default). ``/openapi.json`` is
            always served.
        header_timeout: Seconds a client has to send a whole request head
            (from connecting, or from its first byte after a response); then
            the connection is closed (``serve`` only: it needs the protocol of
            :mod:`trivselscore.service.protocol`).
        body_timeout: Seconds a client has to send the request body, from the
            start of the request; then it gets 408 and the connection closes.
        keep_alive_timeout: Seconds an idle keep-alive connection is kept open
            (``serve`` only; uvicorn's ``timeout_keep_alive``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    token: SecretStr | None = None
    token_file: Path | None = None
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    cors_origins: tuple[str, ...] = ()
    log_level: LogLevel = "info"
    docs: bool = False
    header_timeout: float = Field(default=10.0, gt=0, le=3600)
    body_timeout: float = Field(default=30.0, gt=0, le=3600)
    keep_alive_timeout: int = Field(default=5, ge=1, le=3600)

    @field_validator("token")
    @classmethod
    def _strong_token(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None:
            _check_token(token.get_secret_value(), "the token")
        return token

    @model_validator(mode="after")
    def _one_token_source(self) -> Self:
        if self.token is not None and self.token_file is not None:
            msg = "give the token or the token file, not both"
            raise ValueError(msg)
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: object) -> Settings:
        """Read ``TRIVSELSCORE_*`` variables; ``overrides`` (not None) win over them.

        Variables: ``TRIVSELSCORE_HOST``, ``_PORT``, ``_WORKERS``, ``_TOKEN``,
        ``_TOKEN_FILE``, ``_MAX_BODY_BYTES``, ``_CORS_ORIGINS`` (comma-separated),
        ``_LOG_LEVEL``, ``_DOCS`` (1/0, true/false, yes/no), ``_HEADER_TIMEOUT``,
        ``_BODY_TIMEOUT`` (seconds), ``_KEEP_ALIVE_TIMEOUT`` (whole seconds).

        Args:
            environ: Usually ``os.environ``.
            **overrides: Field values given on the command line.

        Returns:
            The settings.

        Raises:
            SettingsError: A value is invalid; the message names the variable.
        """
        values: dict[str, object] = {}
        sources: dict[str, str] = {}
        for name in cls.model_fields:
            key = ENV_PREFIX + name.upper()
            text = environ.get(key, "").strip()
            if text:  # an empty variable counts as unset
                values[name] = _parse(name, key, text)
                sources[name] = key
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
                sources[name] = name.replace("_", "-")
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            message = str(first["msg"]).removeprefix("Value error, ")
            msg = f"{sources.get(field, 'settings')}: {message}"
            raise SettingsError(msg) from None

    def bearer_token(self) -> str | None:
        """The token requests must carry, read from ``token_file`` if one is given.

        Raises:
            SettingsError: The file cannot be read, or the token is too short.
        """
        if self.token is not None:
            return self.token.get_secret_value()
        if self.token_file is None:
            return None
        try:
            text = self.token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            msg = f"{ENV_PREFIX}TOKEN_FILE: cannot read {str(self.token_file)!r} ({type(error).__name__})"
            raise SettingsError(msg) from None
        return _check_token(text, f"the token in {str(self.token_file)!r}")

    @property
    def loopback_only(self) -> bool:
        """Whether ``host`` is a loopback address (nothing outside this machine can connect)."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def to_env(self) -> dict[str, str]:
        """These settings as ``TRIVSELSCORE_*`` variables, for worker processes.

        Examples:
            >>> Settings(port=9000).to_env()["TRIVSELSCORE_PORT"]
            '9000'
        """
        env = {
            ENV_PREFIX + "HOST": self.host,
            ENV_PREFIX + "PORT": str(self.port),
            ENV_PREFIX + "WORKERS": str(self.workers),
            ENV_PREFIX + "MAX_BODY_BYTES": str(self.max_body_bytes),
            ENV_PREFIX + "CORS_ORIGINS": ",".join(self.cors_origins),
            ENV_PREFIX + "LOG_LEVEL": self.log_level,
            ENV_PREFIX + "DOCS": "1" if self.docs else "0",
            ENV_PREFIX + "HEADER_TIMEOUT": str(self.header_timeout),
            ENV_PREFIX + "BODY_TIMEOUT": str(self.body_timeout),
            ENV_PREFIX + "KEEP_ALIVE_TIMEOUT": str(self.keep_alive_timeout),
        }
        if self.token is not None:
            env[ENV_PREFIX + "TOKEN"] = self.token.get_secret_value()
        if self.token_file is not None:
            env[ENV_PREFIX + "TOKEN_FILE"] = str(self.token_file)
        return env


def _parse(name: str, key: str, text: str) -> object:
    text = text.strip()
    if name in _INTEGERS:
        try:
            return int(text.replace("_", ""))
        except ValueError:
            msg = f"{key}: {text!r} is not a whole number"
            raise SettingsError(msg) from None
    if name in _NUMBERS:
        try:
            return float(text.replace("_", ""))
        except ValueError:
            msg = f"{key}: {text!r} is not a number of seconds"
            raise SettingsError(msg) from None
    if name == "cors_origins":
        return tuple(origin.strip() for origin in text.split(",") if origin.strip())
    if name == "docs":
        if text.lower() not in _BOOLEANS:
            msg = f"{key}: {text!r} is not one of {sorted(k for k in _BOOLEANS if k)}"
            raise SettingsError(msg)
        return _BOOLEANS[text.lower()]
    if name == "log_level":
        return text.lower()
    return text


def _check_token(token: str, where: str) -> str:
    if len(token) < MIN_TOKEN_LENGTH:
        msg = f"{where} is shorter than {MIN_TOKEN_LENGTH} characters"
        raise SettingsError(msg)
    if any(c.isspace() or not c.isprintable() for c in token):
        msg = f"{where} contains whitespace or control characters"
        raise SettingsError(msg)
    return token
