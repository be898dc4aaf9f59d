"""Settings from TRIVSELSCORE_* variables and arguments; secure defaults; clear errors."""

from __future__ import annotations

import pytest

from trivselscore.service import Settings, SettingsError
from trivselscore.service.settings import MIN_TOKEN_LENGTH

TOKEN = "s" * MIN_TOKEN_LENGTH


def test_defaults_are_secure():
    assert Settings(token=None).bearer_token() is None
    settings = Settings()
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8000, 1)
    assert settings.bearer_token() is None
    assert settings.cors_origins == ()
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.loopback_only
    assert not settings.docs
    assert (settings.header_timeout, settings.body_timeout, settings.keep_alive_timeout) == (10.0, 30.0, 5)


def test_every_variable_is_read():
    env = {
        "TRIVSELSCORE_HOST": "0.0.0.0",  # noqa: S104 - parsing only, nothing binds
        "TRIVSELSCORE_PORT": "9000",
        "TRIVSELSCORE_WORKERS": "2",
        "TRIVSELSCORE_TOKEN": TOKEN,
        "TRIVSELSCORE_MAX_BODY_BYTES": "2_000_000",
        "TRIVSELSCORE_CORS_ORIGINS": "https://a.example, https://b.example,",
        "TRIVSELSCORE_LOG_LEVEL": "WARNING",
        "TRIVSELSCORE_DOCS": "yes",
        "TRIVSELSCORE_HEADER_TIMEOUT": "2.5",
        "TRIVSELSCORE_BODY_TIMEOUT": "60",
        "TRIVSELSCORE_KEEP_ALIVE_TIMEOUT": "7",
        "OTHER": "ignored",
    }
    settings = Settings.from_env(env)
    assert settings.model_dump(exclude={"token"}) == {
        "host": "0.0.0.0",  # noqa: S104
        "port": 9000,
        "workers": 2,
        "token_file": None,
        "max_body_bytes": 2_000_000,
        "cors_origins": ("https://a.example", "https://b.example"),
        "log_level": "warning",
        "docs": True,
        "header_timeout": 2.5,
        "body_timeout": 60.0,
        "keep_alive_timeout": 7,
    }
    assert settings.bearer_token() == TOKEN
    assert TOKEN not in repr(settings)  # a SecretStr
    assert not settings.loopback_only
    assert Settings.from_env(settings.to_env()) == settings


def test_arguments_override_variables_and_empty_variables_are_unset():
    settings = Settings.from_env(
        {"TRIVSELSCORE_PORT": "9000", "TRIVSELSCORE_HOST": " "}, port=9001, host=None
    )
    assert (settings.host, settings.port) == ("127.0.0.1", 9001)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRIVSELSCORE_PORT": "http"}, "TRIVSELSCORE_PORT: 'http' is not a whole number"),
        ({"TRIVSELSCORE_PORT": "70000"}, "TRIVSELSCORE_PORT: Input should be less than or equal to 65535"),
        ({"TRIVSELSCORE_WORKERS": "0"}, "TRIVSELSCORE_WORKERS: Input should be greater than or equal to 1"),
        ({"TRIVSELSCORE_DOCS": "maybe"}, "TRIVSELSCORE_DOCS: 'maybe' is not one of"),
        ({"TRIVSELSCORE_LOG_LEVEL": "loud"}, "TRIVSELSCORE_LOG_LEVEL: Input should be"),
        (
            {"TRIVSELSCORE_HEADER_TIMEOUT": "soon"},
            "TRIVSELSCORE_HEADER_TIMEOUT: 'soon' is not a number of seconds",
        ),
        ({"TRIVSELSCORE_BODY_TIMEOUT": "0"}, "TRIVSELSCORE_BODY_TIMEOUT: Input should be greater than 0"),
        ({"TRIVSELSCORE_BODY_TIMEOUT": "nan"}, "TRIVSELSCORE_BODY_TIMEOUT: Input should be"),
        ({"TRIVSELSCORE_KEEP_ALIVE_TIMEOUT": "1.5"}, "TRIVSELSCORE_KEEP_ALIVE_TIMEOUT: '1.5' is not a whole"),
        (
            {"TRIVSELSCORE_TOKEN": "short"},
            f"TRIVSELSCORE_TOKEN: the token is shorter than {MIN_TOKEN_LENGTH}",
        ),
        ({"TRIVSELSCORE_TOKEN": "with space " * 3}, "TRIVSELSCORE_TOKEN: the token contains whitespace"),
        (
            {"TRIVSELSCORE_TOKEN": TOKEN, "TRIVSELSCORE_TOKEN_FILE": "/x"},
            "settings: give the token or the token file",
        ),
    ],
)
def test_bad_variables_name_the_variable(env, message):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert str(caught.value).startswith(message)


def test_the_protocol_reads_its_header_timeout(monkeypatch):
    from trivselscore.service.protocol import DEFAULT_HEADER_TIMEOUT, header_timeout  # noqa: PLC0415

    for text, seconds in (
        ("2.5", 2.5),
        ("", DEFAULT_HEADER_TIMEOUT),
        ("x", DEFAULT_HEADER_TIMEOUT),
        ("-1", 10.0),
    ):
        monkeypatch.setenv("TRIVSELSCORE_HEADER_TIMEOUT", text)
        assert header_timeout() == seconds


def test_a_bad_argument_names_the_option():
    with pytest.raises(SettingsError, match=r"^port: "):
        Settings.from_env({}, port=-1)


def test_token_file(tmp_path):
    path = tmp_path / "token"
    path.write_text(f"  {TOKEN}\n", encoding="utf-8")
    assert Settings(token_file=path).bearer_token() == TOKEN
    path.write_text("short", encoding="utf-8")
    with pytest.raises(SettingsError, match="is shorter than"):
        Settings(token_file=path).bearer_token()
    with pytest.raises(SettingsError, match=r"TRIVSELSCORE_TOKEN_FILE: cannot read .* \(FileNotFoundError\)"):
        Settings(token_file=tmp_path / "missing").bearer_token()
    assert Settings(token_file=path).to_env()["TRIVSELSCORE_TOKEN_FILE"] == str(path)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("::1", True), ("127.0.0.2", True), ("10.0.0.1", False), ("example.org", False)],
)
def test_loopback_only(host, loopback):
    assert Settings(host=host).loopback_only is loopback
