"""Share the county's senior and intermediate title posts among its schools."""

from __future__ import annotations

from rotation.models import Dataset
from rotation.title_posts import TitlePostPolicy, TitlePostResult, allocate_title_posts


def share_title_posts(
    dataset: Dataset, senior: int, intermediate: int, tilt: float = 0.05
) -> TitlePostResult:
    """Posts per school in proportion to staffing, tilted to rural schools, never below the
    current holders; raises ``TitlePostError`` (or ``ValueError`` for a bad tilt)."""
    return allocate_title_posts(dataset, senior, intermediate, TitlePostPolicy(rural_tilt=tilt))
