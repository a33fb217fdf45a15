"""Title posts' folder: title_posts.csv, title_posts.xlsx, title_posts.json."""

from __future__ import annotations

import json
from pathlib import Path

from rotation.allocation_files import write_title_posts_csv, write_title_posts_xlsx
from rotation.title_posts import TitlePostResult

TITLE_POST_FILES: tuple[str, ...] = ("title_posts.csv", "title_posts.xlsx", "title_posts.json")


def write_title_post_outputs(result: TitlePostResult, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [
        write_title_posts_csv(result, out / "title_posts.csv"),
        write_title_posts_xlsx(result, out / "title_posts.xlsx"),
    ]
    path = out / "title_posts.json"
    path.write_text(
        json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    written.append(path)
    return written
