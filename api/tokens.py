"""Access tokens of named people: parsing, hashing, and a tokens file re-read when it changes.

An entry names a person, a role and a token, ``王老师:officer:<token>``; the token may be
given as its SHA-256, ``王老师:officer:sha256:<64 hex digits>``, so that the configuration
need not hold it in clear. The older form ``<token>:<role>`` still works (the person is then
named after the role and the token's hash, e.g. ``officer-3f9a1c``). Entries come from
``ROTATION_TOKENS`` (separated by commas, or a JSON object ``{"<token>": "<role>"}``) and from
the file ``ROTATION_TOKENS_FILE`` (one entry a line, ``#`` comments), which is read again
whenever its modification time or size changes: removing a line revokes that person's token
at once, without a restart. Tokens are kept only as SHA-256 digests and never logged; error
messages name an entry by its line or position, never by its text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

log = logging.getLogger("api.tokens")

MIN_TOKEN_LENGTH = 8
HASH_PREFIX = "sha256:"


class Role(StrEnum):
    """What a token may do: an officer imports and plans, a viewer reads."""

    OFFICER = "officer"
    VIEWER = "viewer"


class TokenFormatError(ValueError):
    """A token entry that cannot be read, explained in Chinese and English."""


@dataclass(frozen=True, slots=True)
class TokenEntry:
    """One person's access: a name, a role, and the SHA-256 of the token."""

    name: str
    role: Role
    digest: bytes

    def __repr__(self) -> str:  # the digest stays out of logs and tracebacks
        return f"TokenEntry(name={self.name!r}, role={self.role.value!r})"

    def matches(self, token: str) -> bool:
        return hmac.compare_digest(self.digest, token_digest(token))


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def _role(text: str) -> Role | None:
    try:
        return Role(text.strip().lower())
    except ValueError:
        return None


def _digest_of(secret: str, where: str) -> bytes:
    if secret.lower().startswith(HASH_PREFIX):
        hexdigest = secret[len(HASH_PREFIX) :].strip()
        try:
            digest = bytes.fromhex(hexdigest)
        except ValueError:
            digest = b""
        if len(digest) != 32:
            raise TokenFormatError(
                f"{where}：sha256: 后应为 64 位十六进制摘要 / {where}: sha256: must be followed "
                "by 64 hexadecimal digits"
            )
        return digest
    if len(secret) < MIN_TOKEN_LENGTH:
        raise TokenFormatError(
            f"{where}：令牌至少 {MIN_TOKEN_LENGTH} 个字符 / {where}: a token needs at least "
            f"{MIN_TOKEN_LENGTH} characters"
        )
    return token_digest(secret)


def parse_entry(item: str, where: str) -> TokenEntry:
    """``name:role:token``, ``name:role:sha256:<hex>`` or the older ``token:role``."""
    fields = [f.strip() for f in item.strip().split(":")]
    if len(fields) >= 3 and fields[0] and _role(fields[1]) is not None:
        role = _role(fields[1])
        assert role is not None
        return TokenEntry(fields[0], role, _digest_of(":".join(fields[2:]), where))
    if len(fields) >= 2:
        role = _role(fields[-1])
        if role is None:
            raise TokenFormatError(
                f"{where}：未知角色，应为 officer 或 viewer / {where}: unknown role, expected "
                "officer or viewer"
            )
        digest = _digest_of(":".join(fields[:-1]), where)
        return TokenEntry(f"{role.value}-{digest.hex()[:6]}", role, digest)
    raise TokenFormatError(
        f"{where}：格式应为 姓名:角色:令牌 或 令牌:角色 / {where}: write name:role:token "
        "or token:role"
    )


def parse_tokens(text: str, source: str = "ROTATION_TOKENS") -> list[TokenEntry]:
    """The entries of ``ROTATION_TOKENS``: comma-separated, or a JSON object {token: role}."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("{"):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TokenFormatError(
                f"{source} 不是有效的 JSON / {source} is not valid JSON"
            ) from exc
        items = [f"{k}:{v}" for k, v in raw.items()]
    else:
        items = [i for i in text.split(",") if i.strip()]
    entries = [
        parse_entry(item, f"{source} 第{n}项 / entry {n}") for n, item in enumerate(items, 1)
    ]
    return _unique(entries, source)


def parse_tokens_file(path: Path) -> list[TokenEntry]:
    """The entries of a tokens file: one a line, blank lines and ``#`` comments ignored."""
    entries = []
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(parse_entry(line, f"{path.name} 第{n}行 / line {n}"))
    return _unique(entries, path.name)


def _unique(entries: list[TokenEntry], source: str) -> list[TokenEntry]:
    seen: set[bytes] = set()
    for e in entries:
        if e.digest in seen:
            raise TokenFormatError(
                f"{source}：同一令牌出现两次（{e.name}）/ {source}: a token appears twice ({e.name})"
            )
        seen.add(e.digest)
    return entries


class TokenRegistry:
    """The tokens in force: those of the environment, and the file's as last read."""

    def __init__(self, fixed: list[TokenEntry], file: Path | None) -> None:
        self._fixed = fixed
        self._file = file
        self._file_entries: list[TokenEntry] = []
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()
        if file is not None:
            self._file_entries = parse_tokens_file(file)  # a bad file refuses to start
            self._stamp = self._stat()

    def _stat(self) -> tuple[int, int] | None:
        assert self._file is not None
        try:
            st = os.stat(self._file)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _refresh(self) -> None:
        if self._file is None:
            return
        stamp = self._stat()
        if stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            if stamp is None:
                log.warning("令牌文件不存在，其中的令牌均已失效 / the tokens file is gone")
                self._file_entries = []
            else:
                try:
                    self._file_entries = parse_tokens_file(self._file)
                    log.info(
                        "已重新读取令牌文件：%d 人 / tokens file re-read: %d people",
                        len(self._file_entries),
                        len(self._file_entries),
                    )
                except (OSError, UnicodeDecodeError, TokenFormatError) as exc:
                    log.warning(
                        "令牌文件有误，沿用上次读取的令牌 / bad tokens file, keeping the "
                        "previous tokens: %s",
                        exc,
                    )
            self._stamp = stamp

    def entries(self) -> list[TokenEntry]:
        self._refresh()
        return [*self._fixed, *self._file_entries]

    def find(self, token: str) -> TokenEntry | None:
        """The entry of ``token``; every entry is compared, in constant time each."""
        digest = token_digest(token)
        found: TokenEntry | None = None
        for entry in self.entries():
            if hmac.compare_digest(entry.digest, digest):
                found = entry
        return found
