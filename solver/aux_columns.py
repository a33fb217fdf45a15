"""Auxiliary columns: the plan model's variables beside the arcs and the slack.

The 跟岗学习 placements (``solver.shadowing``), the capped indicator columns and the CV step
columns of the improvement pass (``solver.indicator_terms``) are such blocks. Each is made
through ``AuxColumns.add`` (the one way to add a column beside the arcs) and so says:

- its columns (a ``VarBlock``) and the rows it stands in (``AuxBlock.stands_in``);
- how a point's columns follow from its arcs (``complete``), so greedy, hinted and
  repaired plans stay feasible starts; without one they stay at 0, which its rows allow;
- how far its objective can move in one plan (``penalty_bound``), which one unit of
  shortfall must outweigh (``solver.build``);
- how it is read back from a solved point (``AuxBlock.values``).

``ModelContext.arc_row_upper`` loosens each row by the room of these columns and refuses a
model with a column that is neither an arc, a slack nor registered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from solver.linear_model import LinearModel, RowBlock, VarBlock

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
# a point (arcs set, every auxiliary column still 0 or stale) → the block's values
Completion = Callable[[FloatArray], FloatArray]


@dataclass
class AuxBlock:
    """One block of auxiliary columns."""

    columns: VarBlock
    complete: Completion | None = None  # None: the columns start at 0
    penalty_bound: int = 0  # the most the block's objective can change in one plan
    rows: list[str] = field(default_factory=list)  # the row blocks it stands in

    @property
    def name(self) -> str:
        return self.columns.name

    def stands_in(self, *rows: RowBlock) -> None:
        """Note row blocks the columns stand in (``LinearModel.add_rows``'s answers)."""
        self.rows.extend(r.name for r in rows)

    def values(self, point: FloatArray) -> FloatArray:
        """The block's columns at a solved (or completed) point."""
        return point[self.columns.slice]


@dataclass
class AuxColumns:
    """The registry of a model context's auxiliary column blocks, in the order made."""

    blocks: dict[str, AuxBlock] = field(default_factory=dict)

    def add(
        self,
        model: LinearModel,
        name: str,
        size: int,
        *,
        lb: float | FloatArray,
        ub: float | FloatArray,
        obj: int | IntArray,
        integer: bool = True,
        complete: Completion | None = None,
        penalty_bound: int = 0,
    ) -> AuxBlock:
        """New columns in ``model``, registered under ``name`` (the variable block's name)."""
        columns = model.add_vars(name, size, lb=lb, ub=ub, obj=obj, integer=integer)
        block = AuxBlock(columns, complete, penalty_bound)
        self.blocks[name] = block
        return block

    def get(self, name: str) -> AuxBlock | None:
        return self.blocks.get(name)

    def complete(self, point: FloatArray) -> None:
        """Set every block's columns from the point's arcs, in the order the blocks were made."""
        for block in self.blocks.values():
            if block.complete is not None:
                point[block.columns.slice] = block.complete(point)

    def penalty_bound(self) -> int:
        return sum(block.penalty_bound for block in self.blocks.values())

    def mask(self, num_vars: int) -> npt.NDArray[np.bool_]:
        """True at every registered column."""
        out = np.zeros(num_vars, dtype=bool)
        for block in self.blocks.values():
            out[block.columns.slice] = True
        return out

    def copy(self) -> AuxColumns:
        """A registry that can grow apart (for a copy of the model, ``copy_model``)."""
        return AuxColumns({k: replace(b, rows=list(b.rows)) for k, b in self.blocks.items()})
