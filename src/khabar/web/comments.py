"""Readers' comments ('نظر شما') and the admins who moderate them, in ``web_*`` tables of the store.

A comment is a name and a text on a story or an article. New comments are ``pending`` (or
``approved`` when moderation is off); the spam check files obvious spam as ``spam`` instead of
dropping it, so an admin can still see it. Admin passwords are kept as Argon2 hashes only.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import regex

from khabar.errors import InputError
from khabar.store import Store
from khabar.store.db import utc_now
from khabar.store.schema import both_dialects

Status = Literal["pending", "approved", "spam"]
TargetKind = Literal["story", "article"]

WEB_MIGRATIONS = (
    # 1: comments, admins and web settings (the generated secret key).
    both_dialects(
        """
        CREATE TABLE web_comments (
            id $ID,
            target_kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            name TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            client TEXT NOT NULL,
            created_at TEXT NOT NULL,
            moderated_at TEXT
        )"""
    ),
    "CREATE INDEX web_comments_target ON web_comments (target_kind, target_id, status)",
    "CREATE TABLE web_admins (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE TABLE web_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

_URL = regex.compile(r"(?i)\b(?:https?://|www\.)\S+|\b\S+\.(?:com|net|org|ru|xyz|top|info|ir)\b")
_REPEAT = regex.compile(r"(.)\1{14,}", regex.DOTALL)
_CONTROL = regex.compile(r"[\p{Cc}--[\n\t]]+", regex.V1)


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    target_kind: str
    target_id: str
    name: str
    body: str
    status: str
    reason: str | None
    created_at: str


def ensure_web_schema(store: Store) -> None:
    store.register_migrations("web", WEB_MIGRATIONS)


def secret_key(store: Store) -> str:
    """The key kept in the database, generated on first use."""
    row = store.execute("SELECT value FROM web_settings WHERE key = 'secret_key'").fetchone()
    if row:
        return str(row[0])
    with store.transaction():
        store.execute(
            "INSERT INTO web_settings (key, value) VALUES ('secret_key', ?) ON CONFLICT (key) DO NOTHING",
            (secrets.token_urlsafe(48),),
        )
    return str(store.execute("SELECT value FROM web_settings WHERE key = 'secret_key'").fetchone()[0])


def clean_text(value: str) -> str:
    """NFC, no control characters (newlines and tabs kept), trimmed."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return str(_CONTROL.sub("", text)).strip()


def check_comment(name: str, body: str, *, name_max: int, body_max: int) -> tuple[str, str]:
    """The cleaned name and text; ``InputError`` naming the field when one is empty or too long."""
    name, body = clean_text(name), clean_text(body)
    if not name:
        raise InputError("name", "نام را بنویسید")
    if len(name) > name_max:
        raise InputError("name", f"نام بیش از {name_max} نویسه است")
    if "\n" in name:
        raise InputError("name", "نام باید یک خط باشد")
    if not body:
        raise InputError("body", "متن نظر خالی است")
    if len(body) > body_max:
        raise InputError("body", f"متن نظر بیش از {body_max} نویسه است")
    return name, body


def spam_reason(name: str, body: str, honeypot: str) -> str | None:
    """Why a comment looks like spam, or None. Deliberately simple: a filled hidden field, more
    than two links, a link in the name, or one character repeated 15 times or more."""
    if honeypot.strip():
        return "hidden field filled (a bot)"
    if len(_URL.findall(body)) > 2:
        return "more than two links"
    if _URL.search(name):
        return "link in the name"
    if _REPEAT.search(body):
        return "one character repeated"
    return None


def client_tag(address: str, key: str) -> str:
    """A keyed hash of the client address (the address itself is not stored)."""
    return hashlib.blake2b(address.encode(), key=key.encode()[:64], digest_size=12).hexdigest()


def _row(r: Sequence[Any]) -> Comment:
    return Comment(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), r[6], str(r[7]))


_COLS = "id, target_kind, target_id, name, body, status, reason, created_at"


class Comments:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self, kind: TargetKind, target: str, name: str, body: str, status: Status, reason: str | None, client: str
    ) -> int:
        with self.store.transaction():
            row = self.store.execute(
                "INSERT INTO web_comments (target_kind, target_id, name, body, status, reason, client, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (kind, target, name, body, status, reason, client, utc_now()),
            ).fetchone()
        return int(row[0])

    def approved(self, kind: str, target: str) -> list[Comment]:
        rows = self.store.execute(
            f"SELECT {_COLS} FROM web_comments WHERE target_kind = ? AND target_id = ? AND status = 'approved'"
            " ORDER BY id",
            (kind, target),
        ).fetchall()
        return [_row(r) for r in rows]

    def by_status(self, status: str, limit: int = 200) -> list[Comment]:
        rows = self.store.execute(
            f"SELECT {_COLS} FROM web_comments WHERE status = ? ORDER BY id DESC LIMIT ?", (status, limit)
        ).fetchall()
        return [_row(r) for r in rows]

    def get(self, comment_id: int) -> Comment | None:
        row = self.store.execute(f"SELECT {_COLS} FROM web_comments WHERE id = ?", (comment_id,)).fetchone()
        return _row(row) if row else None

    def approve(self, comment_id: int) -> bool:
        with self.store.transaction():
            cur = self.store.execute(
                "UPDATE web_comments SET status = 'approved', moderated_at = ? WHERE id = ?", (utc_now(), comment_id)
            )
        return bool(cur.rowcount)

    def delete(self, comment_id: int) -> bool:
        with self.store.transaction():
            cur = self.store.execute("DELETE FROM web_comments WHERE id = ?", (comment_id,))
        return bool(cur.rowcount)

    def same_recent(self, client: str, body: str) -> bool:
        """Whether this client already posted exactly this text (a double post)."""
        row = self.store.execute(
            "SELECT 1 FROM web_comments WHERE client = ? AND body = ? LIMIT 1", (client, body)
        ).fetchone()
        return row is not None


# -- admins ----------------------------------------------------------------------------------------
def create_admin(store: Store, name: str, password: str) -> bool:
    """Add an admin or set a new password; True when the admin is new. Password: 8+ characters."""
    from argon2 import PasswordHasher

    name = clean_text(name)
    if not name or len(name) > 60:
        raise InputError("admin name", "must be 1-60 characters")
    if len(password) < 8:
        raise InputError("admin password", "must be at least 8 characters")
    digest = PasswordHasher().hash(password)
    ensure_web_schema(store)
    with store.transaction():
        known = store.execute("SELECT 1 FROM web_admins WHERE name = ?", (name,)).fetchone()
        store.execute(
            "INSERT INTO web_admins (name, password_hash, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
            (name, digest, utc_now()),
        )
    return known is None


def verify_admin(store: Store, name: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    row = store.execute("SELECT password_hash FROM web_admins WHERE name = ?", (name,)).fetchone()
    hasher = PasswordHasher()
    if row is None:
        # Spend the same time as a real check, so names cannot be told apart by timing.
        try:
            hasher.verify(hasher.hash("not-an-admin"), password + "x")
        except VerificationError:
            pass
        return False
    try:
        return bool(hasher.verify(row[0], password))
    except (VerificationError, InvalidHashError):
        return False
