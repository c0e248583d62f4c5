"""``khabar normalize`` as a user runs it: a real subprocess reading stdin."""

from __future__ import annotations

import subprocess
import sys

Z = "\u200c"


def _run(data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "khabar.cli", "normalize", *args], input=data, capture_output=True, check=False
    )


def test_streams_lines() -> None:
    data = "كتاب ها\r\nمی شود 58,000\n\n\n\nپایان".encode()
    out = _run(data)
    assert out.returncode == 0
    assert out.stdout.decode() == f"کتاب{Z}ها\nمی{Z}شود ۵۸٬۰۰۰\n\nپایان"


def test_digit_option() -> None:
    out = _run("سال ۱۳۹۴\n".encode(), "--digits", "en")
    assert out.stdout.decode() == "سال 1394\n"


def test_wrong_encoding_is_a_clear_error() -> None:
    out = _run("سلام\n".encode("cp1256"))
    assert out.returncode == 1
    assert b"<stdin> line 1: not UTF-8" in out.stderr


def test_binary_is_a_clear_error() -> None:
    out = _run(b"abc\x00def\n")
    assert out.returncode == 1
    assert b"binary" in out.stderr
