"""An approved-posts file (核定岗位, posts.csv) sent with an allocation request: read with the
same reader as ``rotation allocate --posts`` (``rotation.io.posts_file.read_posts``), so a bad
file gets the same file/row/column problems, and carried in the job's parameters."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from api.uploads import UploadRejected, _copy_limited, problem_dicts, safe_name
from rotation.io import DatasetError
from rotation.io.posts_file import read_posts
from rotation.models import ApprovedPost, Dataset

POSTS_PARAM = "posts"  # the job parameter holding the rows (hidden from public views)
POSTS_FILE_PARAM = "posts_file"
POSTS_ROWS_PARAM = "posts_rows"


def read_posts_upload(
    name: str, data: BinaryIO, dataset: Dataset, max_bytes: int
) -> tuple[ApprovedPost, ...]:
    """The approved posts in an uploaded file; ``UploadRejected`` (413 / 415 / 422 with the
    reader's problems) when it cannot be used."""
    name = safe_name(name or "posts.csv")
    if PurePath(name).suffix.lower() != ".csv":
        raise UploadRejected(
            415, "核定岗位表须为 .csv 文件 / the approved posts must be a .csv file"
        )
    with tempfile.TemporaryDirectory(prefix="rotation-posts-") as tmp:
        path = Path(tmp) / name
        _copy_limited(data, path, max_bytes, hashlib.sha256())
        try:
            return read_posts(path, dataset)
        except DatasetError as exc:
            n = len(exc.problems)
            raise UploadRejected(
                422,
                f"核定岗位表有 {n} 处问题 / {n} problem(s) in the approved posts file",
                problem_dicts(exc, Path(tmp)),
            ) from exc


def posts_params(name: str, posts: Sequence[ApprovedPost]) -> dict[str, Any]:
    """The job parameters that carry the posts: the file's name, its row count and the rows."""
    return {
        POSTS_FILE_PARAM: safe_name(name or "posts.csv"),
        POSTS_ROWS_PARAM: len(posts),
        POSTS_PARAM: [[p.school_id, p.stage.value, p.subject.value, p.posts] for p in posts],
    }


def posts_from_params(params: Mapping[str, Any]) -> tuple[ApprovedPost, ...] | None:
    """The approved posts a job was started with, or None (posts derived from the staffing
    norms, as without --posts)."""
    rows = params.get(POSTS_PARAM)
    if rows is None:
        return None
    return tuple(
        ApprovedPost.model_validate(
            {"school_id": school_id, "stage": stage, "subject": subject, "posts": posts}
        )
        for school_id, stage, subject, posts in rows
    )


def public_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A job's parameters as shown: the posts' rows stay stored, their file and count show."""
    return {k: v for k, v in params.items() if k != POSTS_PARAM}
