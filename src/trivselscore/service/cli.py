"""``trivselscore serve``: run the scoring service with uvicorn.

Two ways in: :func:`serve_command` (argv in, exit code out), or
:func:`add_arguments` + :func:`run` for a subcommand of an existing argparse
parser. Neither needs FastAPI or uvicorn until the server starts; when they are
missing, one line says how to install them, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging.config
import os
import socket
import sys
from typing import TYPE_CHECKING

from trivselscore.service.logs import log_config, logger
from trivselscore.service.settings import Settings, SettingsError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from fastapi import FastAPI
    from uvicorn import Config

__all__ = ["INSTALL_HINT", "USAGE_ERROR", "add_arguments", "run", "serve", "serve_command"]

USAGE_ERROR = 2
INSTALL_HINT = (
    'trivselscore: error: the server needs its optional dependencies: pip install "trivselscore[server]"'
)
_FACTORY = "trivselscore.service.app:app_from_env"
"""The app factory each worker process imports when there are several."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``serve`` options to ``parser`` (each overrides its ``TRIVSELSCORE_*`` variable).

    Examples:
        >>> parser = argparse.ArgumentParser()
        >>> add_arguments(parser)
        >>> parser.parse_args(["--port", "9000"]).port
        9000
    """
    parser.add_argument(
        "--host", default=None, help="interface to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", type=int, default=None, help="TCP port (default 8000)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default 1)")
    parser.add_argument(
        "--token-file", default=None, help="file holding the bearer token every request must carry"
    )
    parser.add_argument(
        "--max-body-bytes", type=int, default=None, help="largest request body (default 1 MiB)"
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=None,
        dest="cors_origins",
        help="a browser origin allowed to call the service (repeatable; default: none)",
    )
    parser.add_argument(
        "--header-timeout",
        type=float,
        default=None,
        help="seconds a client has to send a request head (default 10)",
    )
    parser.add_argument(
        "--body-timeout", type=float, default=None, help="seconds a client has to send a body (default 30)"
    )
    parser.add_argument(
        "--keep-alive-timeout",
        type=int,
        default=None,
        help="seconds an idle keep-alive connection stays open (default 5)",
    )
    parser.add_argument(
        "--log-level",
        default=None,
        choices=("critical", "error", "warning", "info", "debug"),
        help="default info",
    )


def run(args: argparse.Namespace) -> int:
    """Run the server with the parsed options; return the exit code (2 for bad settings or no extra)."""
    missing = [name for name in ("fastapi", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        sys.stderr.write(INSTALL_HINT + "\n")
        return USAGE_ERROR
    try:
        settings = Settings.from_env(
            os.environ,
            host=args.host,
            port=args.port,
            workers=args.workers,
            token_file=args.token_file,
            max_body_bytes=args.max_body_bytes,
            cors_origins=tuple(args.cors_origins) if args.cors_origins else None,
            log_level=args.log_level,
            header_timeout=args.header_timeout,
            body_timeout=args.body_timeout,
            keep_alive_timeout=args.keep_alive_timeout,
        )
        settings.bearer_token()  # a bad token file stops here, with one line
    except SettingsError as error:
        sys.stderr.write(f"trivselscore: error: {error}\n")
        return USAGE_ERROR
    serve(settings)
    return 0


def serve_command(argv: Sequence[str] | None = None) -> int:
    """``trivselscore serve [options]`` as a function: parse ``argv`` and run; return the exit code."""
    parser = argparse.ArgumentParser(prog="trivselscore serve", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def serve(settings: Settings, *, factory: str | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM), with uvicorn's access log off.

    With one worker the app is built here; with more, each worker process builds
    it from ``TRIVSELSCORE_*`` variables, which are set from ``settings``.

    Args:
        settings: How to run.
        factory: ``"module:function"`` of another app factory to serve (each worker
            calls it), e.g. the service with a route of your own; default: the service.
    """
    import uvicorn  # noqa: PLC0415 - the optional extra is imported only to serve

    from trivselscore.service.app import create_app  # noqa: PLC0415 - needs the extra too
    from trivselscore.service.protocol import GuardedH11Protocol  # noqa: PLC0415 - needs uvicorn

    logging.config.dictConfig(log_config(settings.log_level))
    if not settings.loopback_only and settings.bearer_token() is None:
        logger.warning("listening on %s without a token: anyone who can reach it can use it", settings.host)
    app: FastAPI | str = factory or _FACTORY
    if settings.workers > 1 or factory is not None:
        os.environ.update(settings.to_env())
    else:
        app = create_app(settings)
    header_key = "TRIVSELSCORE_HEADER_TIMEOUT"  # read by the protocol, in this process and in workers
    os.environ[header_key] = str(settings.header_timeout)
    bind_socket = uvicorn.Config.bind_socket
    uvicorn.Config.bind_socket = _without_nagle(bind_socket)  # type: ignore[method-assign,assignment]
    try:
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the signal after shutting down
            uvicorn.run(
                app,
                host=settings.host,
                port=settings.port,
                workers=settings.workers,
                factory=isinstance(app, str),
                log_config=log_config(settings.log_level),
                http=GuardedH11Protocol,
                timeout_keep_alive=settings.keep_alive_timeout,
                access_log=False,
                server_header=False,
                proxy_headers=False,
            )
    finally:
        uvicorn.Config.bind_socket = bind_socket  # type: ignore[method-assign]


def _without_nagle(bind: Callable[[Config], socket.socket]) -> Callable[[Config], socket.socket]:
    """Uvicorn's ``Config.bind_socket``, with TCP_NODELAY on the socket it binds for its workers.

    With several workers uvicorn binds the listening socket itself, without a
    protocol number, so asyncio does not switch Nagle's algorithm off on the
    connections it accepts; each keep-alive response (headers and body are two
    writes) then waits for the client's delayed ACK, about 40 ms. Accepted
    connections inherit TCP_NODELAY from the listening socket.
    """

    def bind_socket(config: Config) -> socket.socket:
        sock = bind(config)
        if sock.family in {socket.AF_INET, socket.AF_INET6}:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    return bind_socket
