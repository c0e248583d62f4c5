"""A polite HTTP fetcher (httpx): robots.txt, per-host rate limit and concurrency cap,
conditional GET, retries with backoff, size / redirect / time caps, and a WARC copy of every
response. Redirects are followed here, hop by hop, so every hop passes its own host's robots.txt
and pace and is archived (3xx included). Thread-safe: one :class:`Fetcher` serves a pool of
worker threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from khabar import __version__
from khabar.ingest.warc import WarcArchive

USER_AGENT = f"khabar/{__version__} (Persian news aggregator; +https://github.com/khabar/khabar)"
ROBOTS_AGENT = "khabar"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2: follow at least five redirects for robots.txt


@dataclass(frozen=True, slots=True)
class FetchConfig:
    user_agent: str = USER_AGENT
    timeout: float = 20.0  # seconds for connecting and for each read
    deadline: float = 90.0  # seconds for a whole response, however slowly it drips
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2  # extra attempts after a 5xx, 429, timeout or broken connection
    backoff: float = 1.0  # first retry waits this long, then doubles
    host_delay: float = 1.0  # seconds between two requests to the same host
    host_concurrency: int = 2
    concurrency: int = 8  # worker threads of an ingest
    robots: bool = True


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What came of fetching ``url``: a response (``status``, ``body``) or ``error``, the reason
    there is none. ``status`` 304 means "not modified" (empty body)."""

    url: str
    final_url: str
    status: int | None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    fetched_at: str = ""
    error: str | None = None
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Host:
    def __init__(self, concurrency: int) -> None:
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(concurrency)
        self.next_at = 0.0
        self.robots: RobotFileParser | None = None
        self.robots_error: str | None = None
        self.robots_ready = threading.Event()
        self.robots_claimed = False


class Fetcher:
    def __init__(self, config: FetchConfig | None = None, warc: WarcArchive | None = None) -> None:
        self.config = config or FetchConfig()
        self.warc = warc
        self._client = httpx.Client(
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.config.timeout),
            follow_redirects=False,  # followed in fetch(), hop by hop
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness -----------------------------------------------------------------------------
    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.config.host_concurrency)
            return host

    def _wait_turn(self, host: _Host, delay: float) -> None:
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_at)
            host.next_at = start + delay
        if start > now:
            time.sleep(start - now)

    def _host_delay(self, host: _Host) -> float:
        delay = self.config.host_delay
        if host.robots is not None:
            crawl_delay = host.robots.crawl_delay(ROBOTS_AGENT)
            if crawl_delay:
                delay = max(delay, min(float(crawl_delay), 60.0))
        return delay

    def allowed(self, url: str) -> tuple[bool, str | None]:
        """Whether robots.txt lets us fetch ``url`` (and, if not, why). Fetches robots.txt once per
        host. Per RFC 9309: a 4xx robots.txt allows everything; 5xx or no answer disallows."""
        if not self.config.robots:
            return True, None
        host = self._host(url)
        with host.lock:
            claimed = host.robots_claimed
            host.robots_claimed = True
        if not claimed:
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            result = self._get_robots(robots_url)
            if result.error is not None or result.status is None or result.status >= 500:
                host.robots_error = f"robots.txt unreachable ({result.error or f'HTTP {result.status}'})"
            else:
                parser = RobotFileParser(robots_url)
                if 200 <= result.status < 300:
                    parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
                else:
                    parser.parse([])
                host.robots = parser
            host.robots_ready.set()
        else:
            host.robots_ready.wait()
        if host.robots_error:
            return False, host.robots_error
        assert host.robots is not None
        if host.robots.can_fetch(ROBOTS_AGENT, url):
            return True, None
        return False, "disallowed by robots.txt"

    def _get_robots(self, robots_url: str) -> FetchResult:
        """GET a robots.txt, following up to :data:`ROBOTS_MAX_REDIRECTS` redirects (RFC 9309)
        without asking robots.txt about the hops. A chain that fails comes back with ``error``."""
        hop = robots_url
        seen = {urldefrag(hop)[0]}
        for _ in range(ROBOTS_MAX_REDIRECTS + 1):
            result = self._get(hop, self._host(hop), headers={}, delay=self.config.host_delay)
            target = _redirect_target(hop, result)
            if target is None:
                return replace(result, url=robots_url)
            why = _bad_target(target)
            if why is None and urldefrag(target)[0] in seen:
                break
            if why is not None:
                return FetchResult(
                    robots_url, hop, None, fetched_at=result.fetched_at, error=f"redirect to {target}: {why}"
                )
            seen.add(urldefrag(target)[0])
            hop = target
        error = f"too many redirects (more than {ROBOTS_MAX_REDIRECTS}) or a redirect loop"
        return FetchResult(robots_url, hop, None, fetched_at=result.fetched_at, error=error)

    # -- fetching -------------------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url`` politely. Never raises for network trouble: the reason is in ``error``.

        Redirects (301, 302, 303, 307, 308 with a Location) are followed hop by hop, at most
        ``config.max_redirects`` of them: each hop is checked against its own host's robots.txt,
        waits for its own host's turn and goes into the WARC. ``url`` of the result is the URL
        asked for, ``final_url`` the last hop's. ETag / Last-Modified go with the first hop only."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return FetchResult(url, url, None, error="not an http(s) URL")
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        cfg = self.config
        hop = url
        seen = {urldefrag(url)[0]}
        redirects = 0
        while True:
            ok, why = self.allowed(hop)
            if not ok:
                if hop != url:  # name the hop that robots.txt stopped
                    why = why or "disallowed by robots.txt"
                    # "redirect to URL disallowed by robots.txt", "redirect to URL: robots.txt unreachable (…)"
                    why = f"redirect to {hop}{':' if why.startswith('robots.txt') else ''} {why}"
                return FetchResult(url, hop, None, error=why)
            host = self._host(hop)
            result = replace(self._get(hop, host, headers=headers, delay=self._host_delay(host)), url=url)
            target = _redirect_target(hop, result)
            if target is None:
                return result
            bad = _bad_target(target)
            if bad is not None:
                return FetchResult(url, hop, None, fetched_at=result.fetched_at, error=f"redirect to {target}: {bad}")
            redirects += 1
            if redirects > cfg.max_redirects or urldefrag(target)[0] in seen:
                error = f"too many redirects (more than {cfg.max_redirects}) or a redirect loop"
                return FetchResult(url, hop, None, fetched_at=result.fetched_at, error=error)
            seen.add(urldefrag(target)[0])
            hop = target
            headers = {}

    def _get(self, url: str, host: _Host, *, headers: dict[str, str], delay: float) -> FetchResult:
        cfg = self.config
        attempt = 0
        while True:
            attempt += 1
            result, retryable = self._attempt(url, host, headers, delay)
            result = FetchResult(
                result.url,
                result.final_url,
                result.status,
                result.headers,
                result.body,
                result.fetched_at,
                result.error,
                attempt,
            )
            if not retryable or attempt > cfg.retries:
                return result
            wait = cfg.backoff * (2 ** (attempt - 1))
            retry_after = result.headers.get("retry-after", "")
            if retry_after.isdigit():
                wait = max(wait, min(float(retry_after), 60.0))
            time.sleep(wait)

    def _attempt(self, url: str, host: _Host, headers: dict[str, str], delay: float) -> tuple[FetchResult, bool]:
        cfg = self.config
        with host.slots:
            self._wait_turn(host, delay)
            fetched_at = _now()
            started = time.monotonic()
            try:
                with self._client.stream("GET", url, headers=headers) as resp:
                    length = resp.headers.get("content-length", "")
                    if length.isdigit() and int(length) > cfg.max_bytes:
                        raise _TooLarge(f"response too large: Content-Length {length} > {cfg.max_bytes} bytes")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > cfg.max_bytes:
                            raise _TooLarge(f"response too large: over {cfg.max_bytes} bytes")
                        if time.monotonic() - started > cfg.deadline:
                            raise _TooSlow(f"response too slow: not complete after {cfg.deadline:g} s")
                        chunks.append(chunk)
                    body = b"".join(chunks)
                    final_url = str(resp.url)
                    status = resp.status_code
                    resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                    if self.warc is not None:
                        self.warc.add_response(
                            final_url,
                            status,
                            resp.reason_phrase,
                            list(resp.headers.items()),
                            body,
                            fetched_at,
                        )
            except _TooLarge as exc:
                return FetchResult(url, url, None, fetched_at=fetched_at, error=str(exc)), False
            except _TooSlow as exc:
                return FetchResult(url, url, None, fetched_at=fetched_at, error=str(exc)), True
            except httpx.TimeoutException as exc:
                return FetchResult(
                    url,
                    url,
                    None,
                    fetched_at=fetched_at,
                    error=f"timed out ({type(exc).__name__}, {cfg.timeout:g} s)",
                ), True
            except httpx.RemoteProtocolError as exc:
                return FetchResult(
                    url,
                    url,
                    None,
                    fetched_at=fetched_at,
                    error=f"broken or truncated response, connection closed early: {exc}",
                ), True
            except (httpx.TransportError, httpx.DecodingError) as exc:
                return FetchResult(
                    url,
                    url,
                    None,
                    fetched_at=fetched_at,
                    error=f"connection failed: {type(exc).__name__}: {exc}".rstrip(": "),
                ), True
            except httpx.InvalidURL as exc:
                return FetchResult(url, url, None, fetched_at=fetched_at, error=f"invalid URL: {exc}"), False
        if status >= 500 or status == 429:
            return FetchResult(
                url, final_url, status, resp_headers, body, fetched_at, f"HTTP {status} from server"
            ), True
        if status >= 400:
            return FetchResult(url, final_url, status, resp_headers, body, fetched_at, f"HTTP {status}"), False
        return FetchResult(url, final_url, status, resp_headers, body, fetched_at), False


def _redirect_target(hop: str, result: FetchResult) -> str | None:
    """Where a redirect response to ``hop`` points (Location resolved against ``hop``), or None
    when ``result`` is no redirect to follow (any other status, an error, no Location)."""
    if result.error is not None or result.status not in REDIRECT_STATUSES:
        return None
    location = result.headers.get("location", "").strip()
    if not location:
        return None
    try:
        return urljoin(hop, location)
    except ValueError:  # e.g. a broken IPv6 literal; _bad_target reports it
        return location


def _bad_target(target: str) -> str | None:
    """Why ``target`` cannot be the next hop, or None."""
    try:
        parts = urlsplit(target)
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "not an http(s) URL"
    return None
