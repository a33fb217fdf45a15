"""A suggestion only when what was typed is close to one accepted spelling.

"高极" → "高级" (one character off), "histroy" → "history"; "astronomy" suggests
nothing, because a far-off guess misleads more than it helps.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def _distance(a: str, b: str) -> int:
    """Edits of one character (insert, delete, replace, swap two neighbours)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def close_match(text: str, candidates: Iterable[str]) -> str | None:
    """The candidate within a small edit distance of ``text`` (case-insensitive), or None.

    Allowed edits: one for short words, about one in four characters for longer ones;
    ties go to the candidate difflib finds most similar.
    """
    typed = text.strip().lower()
    if not typed:
        return None
    allowed = max(1, len(typed) // 4)
    best: tuple[int, float, str] | None = None
    for candidate in candidates:
        folded = candidate.lower()
        if abs(len(folded) - len(typed)) > allowed:
            continue
        d = _distance(typed, folded)
        if d == 0 or d > allowed or d >= len(folded):
            continue
        ratio = difflib.SequenceMatcher(None, typed, folded).ratio()
        key = (d, -ratio, candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def similar_header(text: str, candidates: Iterable[str]) -> str | None:
    """The known header most like an unrecognised one (shared words count), or None."""
    pool = list(candidates)
    return close_match(text, pool) or next(
        iter(difflib.get_close_matches(text.strip(), pool, n=1, cutoff=0.6)), None
    )
