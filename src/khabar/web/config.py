"""The web app's settings: one frozen value handed to ``create_app``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WebConfig:
    """``db``: the store (a SQLite path or a ``postgresql://`` URL). ``secret_key``: signs CSRF
    tokens and admin sessions; when None it comes from ``$KHABAR_SECRET_KEY`` or is generated once
    and kept in the database.

    Comments: ``moderate`` holds new comments until an admin approves them; ``comment_rate`` posts
    per ``rate_window`` seconds per client address (``login_rate`` likewise for admin logins)."""

    db: str
    secret_key: str | None = None
    moderate: bool = True
    comment_rate: int = 5
    login_rate: int = 10
    rate_window: float = 600.0
    name_max: int = 60
    comment_max: int = 2000
    page_size: int = 20
    admin_session_seconds: int = 12 * 3600
    secure_cookies: bool = False  # set when served over HTTPS
    public_url: str | None = None  # e.g. https://khabar.example: feeds link there, not to the Host header
