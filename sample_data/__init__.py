"""Synthetic county rosters (Faker zh_CN, seeded) in the interchange format.

``generate(preset, seed=1, year=2026) -> Dataset`` with presets ``tiny`` (~40
teachers), ``small`` (~400), ``longchuan`` (~9,000, shaped like 龙川县) and ``city``
(~45,000, five counties), and the stress shapes of ``sample_data.presets.STRESS``
(``many_posts``, ``unmet_quotas``, ``small_schools``, ``bare``, each also ``_small``;
``big_county``).
"""

from sample_data.generator import generate
from sample_data.presets import PRESETS, CountyShape, Preset

__all__ = ["PRESETS", "CountyShape", "Preset", "generate"]
