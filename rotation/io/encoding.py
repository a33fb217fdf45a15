"""Decoding CSV bytes: UTF-8, UTF-8 with BOM or GB18030, detected, never asked for."""

from __future__ import annotations

import codecs

_UNSUPPORTED_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\r\n")


class UndecodableError(ValueError):
    """The bytes are not text in an encoding the importer reads; ``str`` says why."""


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes.

    UTF-8 (with or without BOM) is tried first, then GB18030, which is what Excel on
    a Chinese Windows writes ("CSV (逗号分隔)"). UTF-16/32 and binary content are refused.
    """
    for bom, name in _UNSUPPORTED_BOMS:
        if data.startswith(bom):
            raise UndecodableError(f"{name}")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise UndecodableError("binary")
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise UndecodableError("unknown")


def _looks_binary(text: str) -> bool:
    return any(ch < " " and ch not in _ALLOWED_CONTROLS for ch in text[:65536])
