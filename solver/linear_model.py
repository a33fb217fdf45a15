"""A backend-neutral mixed-integer model in arrays, built once, solved by any backend.

Variables carry bounds, integrality and an integer objective coefficient (the whole
objective is integral, so CP-SAT and the MIP solvers optimise exactly the same
function). Rows are appended in blocks of numpy arrays (coordinate form), so that a
rule adds thousands of constraints in one call; nothing is built term by term.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

INF = float("inf")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class VarBlock:
    name: str
    start: int
    size: int

    @property
    def slice(self) -> slice:
        return slice(self.start, self.start + self.size)


@dataclass
class RowBlock:
    name: str
    start: int
    size: int
    labels: list[str]


@dataclass
class LinearModel:
    """maximise c·x subject to lower ≤ A x ≤ upper, lb ≤ x ≤ ub, some x integer."""

    lb: list[FloatArray] = field(default_factory=list)
    ub: list[FloatArray] = field(default_factory=list)
    obj: list[IntArray] = field(default_factory=list)
    integer: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    var_blocks: dict[str, VarBlock] = field(default_factory=dict)
    num_vars: int = 0
    _rows: list[IntArray] = field(default_factory=list)
    _cols: list[IntArray] = field(default_factory=list)
    _vals: list[IntArray] = field(default_factory=list)
    row_lower: list[FloatArray] = field(default_factory=list)
    row_upper: list[FloatArray] = field(default_factory=list)
    row_blocks: dict[str, RowBlock] = field(default_factory=dict)
    num_rows: int = 0
    _csr: tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray] | None = None

    # ------------------------------------------------------------ variables
    def add_vars(
        self,
        name: str,
        size: int,
        *,
        lb: float | FloatArray = 0.0,
        ub: float | FloatArray = 1.0,
        obj: int | IntArray = 0,
        integer: bool = True,
    ) -> VarBlock:
        if name in self.var_blocks:
            raise ValueError(f"variable block {name!r} exists")
        block = VarBlock(name, self.num_vars, size)
        self.lb.append(np.broadcast_to(np.asarray(lb, dtype=np.float64), (size,)).copy())
        self.ub.append(np.broadcast_to(np.asarray(ub, dtype=np.float64), (size,)).copy())
        self.obj.append(np.broadcast_to(np.asarray(obj, dtype=np.int64), (size,)).copy())
        self.integer.append(np.full(size, integer))
        self.var_blocks[name] = block
        self.num_vars += size
        return block

    def set_upper(self, block: VarBlock, indices: IntArray, value: float) -> None:
        """Lower the upper bound of some variables of a block (e.g. close forbidden arcs)."""
        position = list(self.var_blocks).index(block.name)
        self.ub[position][indices] = value

    def add_objective(self, cols: IntArray, coefs: IntArray) -> None:
        """Add integer coefficients to existing variables' objective."""
        flat_obj = self.objective()
        np.add.at(flat_obj, cols, coefs)
        self.obj = [flat_obj]

    # ------------------------------------------------------------ rows
    def add_rows(
        self,
        name: str,
        row_of_entry: IntArray,
        cols: IntArray,
        vals: IntArray,
        *,
        lower: float | FloatArray,
        upper: float | FloatArray,
        count: int,
        labels: list[str] | None = None,
    ) -> RowBlock:
        """Add ``count`` rows; entry k puts ``vals[k]`` at (row_of_entry[k], cols[k])."""
        if name in self.row_blocks:
            raise ValueError(f"row block {name!r} exists")
        block = RowBlock(name, self.num_rows, count, labels or [])
        self._csr = None
        if count:
            self._rows.append(np.asarray(row_of_entry, dtype=np.int64) + self.num_rows)
            self._cols.append(np.asarray(cols, dtype=np.int64))
            self._vals.append(np.asarray(vals, dtype=np.int64))
            self.row_lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), (count,)).copy())
            self.row_upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), (count,)).copy())
        self.row_blocks[name] = block
        self.num_rows += count
        return block

    # ------------------------------------------------------------ views
    def objective(self) -> IntArray:
        return np.concatenate(self.obj) if self.obj else np.zeros(0, dtype=np.int64)

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        if not self.lb:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(self.lb), np.concatenate(self.ub)

    def integrality(self) -> npt.NDArray[np.bool_]:
        return np.concatenate(self.integer) if self.integer else np.zeros(0, dtype=bool)

    def csr(self) -> tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray]:
        """(starts, indices, values, lower, upper) of the rows, sorted by row then column
        (computed once and kept until rows are added)."""
        if self._csr is None:
            self._csr = self._build_csr()
        return self._csr

    def _build_csr(self) -> tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray]:
        if not self._rows:
            return (np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64),
                    np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))
        rows = np.concatenate(self._rows)
        cols = np.concatenate(self._cols)
        vals = np.concatenate(self._vals)
        order = np.lexsort((cols, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        starts = np.zeros(self.num_rows + 1, dtype=np.int64)
        np.add.at(starts, rows + 1, 1)
        np.cumsum(starts, out=starts)
        return starts, cols, vals, np.concatenate(self.row_lower), np.concatenate(self.row_upper)

    def evaluate(self, x: FloatArray) -> float:
        return float(self.objective() @ x)


def with_objective(model: LinearModel, objective: IntArray) -> LinearModel:
    """The same variables and rows with another objective (arrays shared, not copied)."""
    out = LinearModel(
        lb=model.lb, ub=model.ub, obj=[np.asarray(objective, dtype=np.int64)], integer=model.integer,
        var_blocks=model.var_blocks, num_vars=model.num_vars,
        _rows=list(model._rows), _cols=list(model._cols), _vals=list(model._vals),
        row_lower=list(model.row_lower), row_upper=list(model.row_upper),
        row_blocks=dict(model.row_blocks), num_rows=model.num_rows, _csr=model._csr,
    )  # fmt: skip
    return out


def copy_model(model: LinearModel) -> LinearModel:
    """A copy that can grow (new variables and rows) without touching ``model``."""
    out = with_objective(model, model.objective())
    out.lb, out.ub = [a.copy() for a in model.lb], [a.copy() for a in model.ub]
    out.integer = list(model.integer)
    out.var_blocks = dict(model.var_blocks)
    return out


def column_rows(starts: IntArray, cols: IntArray, vals: IntArray, num_vars: int) -> tuple[IntArray, IntArray, IntArray]:
    """The transpose of a CSR matrix: (col_starts, rows, vals) so a column's rows are a slice."""
    row_of = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    order = np.argsort(cols, kind="stable")
    col_starts = np.zeros(num_vars + 1, dtype=np.int64)
    np.add.at(col_starts, cols + 1, 1)
    np.cumsum(col_starts, out=col_starts)
    return col_starts, row_of[order], vals[order]


def with_bounds(model: LinearModel, lb: FloatArray, ub: FloatArray) -> LinearModel:
    """The same model with other variable bounds (e.g. most columns fixed)."""
    out = with_objective(model, model.objective())
    out.lb, out.ub = [np.asarray(lb, dtype=np.float64)], [np.asarray(ub, dtype=np.float64)]
    out.integer = [model.integrality()]
    return out
