"""CSRF tokens, signed admin sessions and per-client rate limits.

CSRF: each browser gets a random token in an HttpOnly cookie; forms carry the same token signed
with the app's secret key. A POST passes only when the signature is valid, not expired and the
token matches the cookie (a signed double submit). Admin sessions are a signed, time-limited cookie.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer

CSRF_COOKIE = "khabar_csrf"
ADMIN_COOKIE = "khabar_admin"
CSRF_MAX_AGE = 6 * 3600


@dataclass(frozen=True, slots=True)
class Signer:
    secret: str

    def _csrf(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="khabar-csrf")

    def _admin(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="khabar-admin")

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)

    def form_token(self, cookie_token: str) -> str:
        return str(self._csrf().dumps(cookie_token))

    def csrf_ok(self, cookie_token: str | None, form_token: str | None) -> bool:
        if not cookie_token or not form_token:
            return False
        try:
            inner = self._csrf().loads(form_token, max_age=CSRF_MAX_AGE)
        except BadSignature:
            return False
        return isinstance(inner, str) and hmac.compare_digest(inner, cookie_token)

    def admin_cookie(self, name: str) -> str:
        return str(self._admin().dumps({"admin": name}))

    def admin_name(self, cookie: str | None, max_age: int) -> str | None:
        if not cookie:
            return None
        try:
            data = self._admin().loads(cookie, max_age=max_age)
        except BadSignature:
            return None
        name = data.get("admin") if isinstance(data, dict) else None
        return name if isinstance(name, str) and name else None


@dataclass(slots=True)
class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (a sliding window)."""

    limit: int
    window: float
    _events: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str, now: float | None = None) -> float:
        """Record an event; returns 0 when allowed, else the seconds until the next one is."""
        now = time.monotonic() if now is None else now
        with self._lock:
            q = self._events.setdefault(key, deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.limit:
                return max(0.001, q[0] + self.window - now)
            q.append(now)
            if len(self._events) > 50_000:  # forget idle clients
                for k in [k for k, v in self._events.items() if not v or v[-1] <= now - self.window]:
                    del self._events[k]
            return 0.0
