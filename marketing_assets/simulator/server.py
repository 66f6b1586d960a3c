"""The simulator HTTP server: routing, the fault hook and request logging."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from marketing_assets.simulator.context import SimulatorContext
from marketing_assets.simulator.ecb import handle_ecb
from marketing_assets.simulator.faults import FaultPlan
from marketing_assets.simulator.google_ads import handle_google_ads
from marketing_assets.simulator.linkedin import handle_linkedin
from marketing_assets.simulator.meta import handle_meta
from marketing_assets.simulator.microsoft_ads import handle_microsoft_ads
from marketing_assets.simulator.models import SimulatedAccount, SimulatorCredentials
from marketing_assets.simulator.oncall_inbox import handle_oncall_log
from marketing_assets.simulator.pagerduty import handle_pagerduty
from marketing_assets.simulator.slack import handle_slack, loggable_path
from marketing_assets.simulator.tiktok import handle_tiktok
from marketing_assets.simulator.truth import handle_simulator
from marketing_assets.simulator.wire import SimulatorRequest, SimulatorResponse, json_response

logger = logging.getLogger("marketing_assets.simulator")

_ROUTES = (
    ("/google-ads", handle_google_ads),
    ("/meta", handle_meta),
    ("/tiktok", handle_tiktok),
    ("/microsoft-ads", handle_microsoft_ads),
    ("/linkedin", handle_linkedin),
    ("/ecb", handle_ecb),
    ("/pagerduty", handle_pagerduty),
    ("/slack", handle_slack),
    # Before "/_simulator", because the first matching prefix wins.
    ("/_simulator/oncall", handle_oncall_log),
    ("/_simulator", handle_simulator),
)


DEFAULT_CREDENTIALS = SimulatorCredentials()
# How often the serving thread checks for stop(); http.server's 0.5 s default slows tests.
_SHUTDOWN_POLL_SECONDS = 0.05


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SimulatorServer:
    """A local HTTP server that speaks the reporting APIs of five ad platforms.

    Google Ads is served under `{url}/google-ads`, Meta under `{url}/meta`, TikTok under
    `{url}/tiktok`, Microsoft Advertising under `{url}/microsoft-ads` and LinkedIn under
    `{url}/linkedin`. ECB euro reference rates are under `{url}/ecb` and ground truth under
    `{url}/_simulator`. `clock` returns the
    current instant (timezone-aware): only local hours that closed before it are served, past
    days carry the restatements their age at that instant has brought, and only ECB rates
    published by then are served. `set_clock` replaces it while the server runs.
    `fault_plan` receives every request before routing and may replace or rewrite the handler's
    response (see `FaultPlan`). `revision` shifts the seed of every
    platform number.
    """

    def __init__(
        self,
        accounts: Sequence[SimulatedAccount],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        credentials: SimulatorCredentials = DEFAULT_CREDENTIALS,
        clock: Callable[[], datetime] = _utc_now,
        fault_plan: FaultPlan | None = None,
        revision: int = 0,
    ) -> None:
        keys = [(account.platform, account.account_id) for account in accounts]
        if len(set(keys)) != len(keys):
            raise ValueError(f"Duplicate simulated accounts in {keys!r}.")
        self.context = SimulatorContext(tuple(accounts), credentials, clock, revision)
        self.fault_plan = fault_plan or FaultPlan()
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.context.clock

    def set_clock(self, clock: Callable[[], datetime]) -> None:
        """Replace the clock; requests that start afterwards, truth included, read the new one."""
        if not callable(clock):
            raise TypeError(f"The simulator clock must be callable, got {clock!r}.")
        # Each request reads the context once, so a request in flight keeps its clock.
        self.context = dataclasses.replace(self.context, clock=clock)
        logger.info("Simulator at %s switched to a new clock", self.url)

    def start(self) -> SimulatorServer:
        """Serve requests on a background thread until `stop()`."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": _SHUTDOWN_POLL_SECONDS},
            name="simulator-server",
            daemon=True,
        )
        self._thread.start()
        logger.info(
            "Simulator started at %s with %d accounts", self.url, len(self.context.accounts)
        )
        return self

    def serve_forever(self) -> None:
        """Serve requests on the calling thread until interrupted."""
        logger.info(
            "Simulator serving at %s with %d accounts", self.url, len(self.context.accounts)
        )
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()
        logger.info("Simulator at %s stopped", self.url)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def respond(self, request: SimulatorRequest) -> SimulatorResponse:
        """Route the request to its platform handler, passing it through the fault plan.

        A response from `before_response` replaces the handler and skips `after_response`.
        """
        injected = self.fault_plan.before_response(request)
        if injected is not None:
            return injected
        return self.fault_plan.after_response(request, self._route(request))

    def _route(self, request: SimulatorRequest) -> SimulatorResponse:
        for prefix, handler in _ROUTES:
            if request.path == prefix or request.path.startswith(prefix + "/"):
                return handler(request, request.path.removeprefix(prefix), self.context)
        return json_response(404, {"error": f"No simulated API under {request.path!r}."})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(_RequestHandler):
            simulator = server

        return Handler


class _RequestHandler(BaseHTTPRequestHandler):
    simulator: SimulatorServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes. With Nagle's algorithm on, the body of a
    # keep-alive response waits about 40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        started = time.perf_counter()
        path, _, query_string = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        request = SimulatorRequest(
            method=self.command,
            path=path,
            query_string=query_string,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
            host=self.headers.get("Host") or self.simulator.url.removeprefix("http://"),
        )
        # Logged paths leave out a Slack webhook's path, which is as secret as a token.
        path = loggable_path(path)
        try:
            response = self.simulator.respond(request)
        except Exception:
            # A handler bug must reach the client as a 500, like a platform outage would.
            logger.exception("Simulator failed on %s %s", self.command, path)
            response = json_response(500, {"error": "Internal simulator error; see the log."})

        if response.drop_connection:
            self._drop_connection(path)
            return
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up first, for example on its read timeout during a slow fault.
            self.close_connection = True
            logger.debug("%s %s -> client closed the connection first", self.command, path)
            return
        # The query string is left out because it can carry a Meta access token.
        logger.debug(
            "%s %s -> %d in %.1f ms",
            self.command,
            path,
            response.status,
            (time.perf_counter() - started) * 1000,
        )

    def _drop_connection(self, path: str) -> None:
        """Close the socket without a status line, as a proxy or server crash would."""
        self.close_connection = True
        # The client may already have gone, and the socket is closed either way.
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        logger.debug("%s %s -> connection dropped", self.command, path)

    def log_message(self, format: str, *args: object) -> None:
        """Silence http.server's stderr access log; `_serve` logs each request instead."""
