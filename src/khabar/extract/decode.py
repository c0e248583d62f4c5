"""Bytes to text: BOMs, UTF-8, UTF-16, windows-1256 and the mojibake made of them.

Every failure raises :class:`~khabar.errors.InputError` naming the input and the reason.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from khabar.errors import InputError

# Magic numbers of formats that are not text; naming them makes the error useful.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"\x7fELF", "an ELF executable"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"SQLite format 3", "an SQLite database"),
)

# Arabic-script letters that Persian uses, for judging candidate decodings.
_ARABIC_SCRIPT = range(0x0600, 0x0700)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    truncated: bool = False  # the input ended inside a multi-byte character


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if ord(c) in _ARABIC_SCRIPT) / len(letters)


def _plausible(text: str) -> bool:
    """Arabic-script text that a single-byte decoding produced from real text: mostly Arabic-script
    letters and hardly any stray marks or format characters (garbage bytes give many)."""
    if _arabic_share(text) < 0.6:
        return False
    odd = sum(1 for c in text if unicodedata.category(c) in ("Mn", "Cf", "Co", "Cc") and c not in "\n\r\t\u200c")
    return odd < 0.02 * len(text)


def _looks_binary(data: bytes) -> str | None:
    sample = data[:65536]
    if not sample:
        return None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if controls / len(sample) > 0.05:
        return "binary data (%.0f%% control bytes)" % (100 * controls / len(sample))
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte for ASCII, or a fixed high
    byte (0x06) for Arabic-script letters."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for enc, hi, lo in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        del lo
        share = sum(1 for b in hi if b in (0x00, 0x06, 0x20)) / len(hi)
        if share > 0.9:
            return enc
    return None


def _sloppy_table(encoding: str) -> dict[int, int]:
    """Char -> byte for a single-byte code page, where bytes the code page leaves undefined
    stand for themselves (as browsers and Windows tools treat them)."""
    table: dict[int, int] = {}
    for b in range(256):
        try:
            ch = bytes([b]).decode(encoding)
        except UnicodeDecodeError:
            ch = chr(b)
        table[ord(ch)] = b
    return table


_SLOPPY = {enc: _sloppy_table(enc) for enc in ("cp1256", "cp1252", "latin-1")}


def _reencode(text: str, encoding: str) -> bytes | None:
    table = _SLOPPY[encoding]
    try:
        return bytes(table[ord(c)] for c in text)
    except KeyError:
        return None


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded with a single-byte code page (windows-1256,
    windows-1252, latin-1): 'Ø§ÛŒÙ†' or 'ط§غŒظ†' both become 'این'.

    A repair is taken only when the text re-encodes to strictly valid UTF-8 that is much
    shorter (two or more bytes per Persian letter collapse into one character) and mostly
    Arabic-script: ordinary text almost never passes both tests."""
    if not text or text.isascii():
        return text
    for enc in ("cp1256", "cp1252", "latin-1"):
        raw = _reencode(text, enc)
        if raw is None:
            continue
        try:
            candidate = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(candidate) < 0.8 * len(text) and _arabic_share(candidate) > 0.5:
            return candidate
    return text


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> Decoded:
    """Decode one input. ``declared`` is a charset named by HTTP headers or ``<meta>``; it is
    trusted only when the bytes agree with it."""
    if not data.strip():
        raise InputError(source, "empty input")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return Decoded(fix_mojibake(body.decode(enc.removesuffix("-sig"))), enc)
            except UnicodeDecodeError as exc:
                reason = f"has a {enc} byte-order mark but is not valid {enc}: {exc.reason} at byte {exc.start}"
                raise InputError(source, reason) from None
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise InputError(source, f"not text: looks like {name}")
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    binary = _looks_binary(data)
    if binary:
        raise InputError(source, f"not text: looks like {binary}")
    try:
        return Decoded(fix_mojibake(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        # Cut inside the last character: the rest is fine, only the tail is lost.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return Decoded(fix_mojibake(data[: exc.start].decode("utf-8")), "utf-8", truncated=True)
        utf8_error = f"{exc.reason} at byte {exc.start}"
    candidates = []
    if declared:
        candidates.append(declared)
    candidates += ["cp1256"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(text) or (enc == declared and _arabic_share(text) < 0.3):
            return Decoded(text, codecs.lookup(enc).name)
    from charset_normalizer import from_bytes

    match = from_bytes(data[:1_000_000]).best()
    if match is not None and match.encoding and match.coherence > 0.2:  # a language it recognises
        try:
            return Decoded(data.decode(match.encoding), match.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError(source, f"cannot decode: not UTF-8 ({utf8_error}), UTF-16 or windows-1256")
