"""What the API reads and answers (pydantic), apart from the tables themselves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from rotation.locks import LockKind

T = TypeVar("T")

STATUS_ZH: dict[str, str] = {
    "queued": "排队中",
    "running": "求解中",
    "done": "已完成",
    "failed": "失败",
    "cancelled": "已停止（保留当前最优方案）",
    "interrupted": "已中断（服务停止）",
}


class Page(BaseModel, Generic[T]):
    total: int = Field(description="符合条件的总数 / rows matching the filters")
    offset: int
    limit: int
    items: list[T]


class Problem(BaseModel):
    """One row-level problem of an upload."""

    file: str
    row: int | None = Field(None, description="表格中的行号（表头为第1行）/ spreadsheet row")
    column: str | None = None
    value: str = ""
    expected: str = ""
    suggestion: str | None = None
    message: str = Field(description="中文说明（附英文）/ the problem in words")


class DatasetPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="快照编号 / snapshot number")
    file_name: str
    checksum: str = Field(description="上传内容的 SHA-256 / sha256 of the upload")
    created_at: datetime
    year: int = Field(description="摘要所依据的方案年度 / plan year of the summary")
    schools: int
    teachers: int
    needs: int
    needs_declared: bool


class DatasetDetail(DatasetPublic):
    summary: dict[str, Any] = Field(description="数据检查摘要：学校、教师、资格、指标、名额")


class SchoolPublic(BaseModel):
    school_id: str
    name: str
    town: str
    area: str
    stage: str
    quality: bool
    weak: bool
    priority: str | None
    community: str
    students: int
    classes: int
    lat: float | None
    lon: float | None
    role: str = Field(description="生效的角色（派出/接收）/ the role in force")
    teachers: int = 0


class TeacherPublic(BaseModel):
    teacher_id: str
    name: str
    gender: str
    birth_date: date | None = Field(
        None, description="出生日期（个人信息，仅经办人可见）/ personal data, officers only"
    )
    school_id: str
    stage: str
    subject: str
    title: str
    backbone: str
    school_start_year: int
    last_exchange_year: int | None
    exempt: str
    seeks_promotion: bool
    preferences: list[str]
    degree: str | None
    eligible: bool = Field(description="该年度是否符合交流条件 / eligible in the year")
    ineligible_reasons: list[str] = Field(default_factory=list, description="不符合条件的原因")


class LockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: LockKind = Field(description="assign 指定 · stay 留任 · block_school 不接收")
    teacher_id: str = ""
    school_id: str = ""
    note: str = ""


class PlanCreate(BaseModel):
    """A plan request: the year, the policy, the locks and how long to search."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100, description="方案年度 / plan year")
    policy_name: str | None = Field(None, description="已保存的政策名称 / a saved policy")
    policy: dict[str, Any] = Field(
        default_factory=dict,
        description='政策参数覆盖，如 {"rotation_rate": 0.15, "weights.fill_need": 80}',
    )
    locks: list[LockIn] = Field(default_factory=list, description="锁定 / locks")
    backend: Literal["highs", "cpsat", "scip", "greedy"] = Field("highs", description="求解器")
    time_limit: float = Field(30.0, gt=0, description="求解时间上限（秒）/ time limit, seconds")
    relative_gap: float = Field(0.001, ge=0, le=1, description="相对间隙 / relative gap")
    seed: int = Field(0, ge=0, description="随机种子 / seed")


class PlanAccepted(BaseModel):
    id: int = Field(description="方案编号 / plan id")
    status: str
    url: str


class PlanPublic(BaseModel):
    id: int
    dataset_id: int
    year: int
    status: Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
    status_zh: str
    queue_position: int | None = Field(None, description="排队位置（1 = 下一个）/ place in queue")
    progress: dict[str, Any] | None = Field(
        None, description="求解进度：objective, bound, gap, elapsed, phase"
    )
    metrics: dict[str, Any] | None = Field(None, description="完成后的指标 / metrics when done")
    error: str | None = None
    cancel_requested: bool
    policy_name: str | None
    policy_overrides: dict[str, Any]
    options: dict[str, Any]
    locks: int = Field(0, description="锁定条数 / number of locks")
    solver_status: str | None
    backend: str | None
    notes: list[str] | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    solve_seconds: float | None
    running_seconds: float | None = Field(
        None, description="自开始求解以来的秒数（求解中）/ seconds since the solve started"
    )
    assignments: int = Field(0, description="交流人数 / moves in the plan")


class AssignmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    teacher_id: str
    name: str
    from_school_id: str
    to_school_id: str
    stage: str
    subject: str
    title: str
    backbone: str
    start_year: int
    end_year: int
    reasons: str
    distance_km: float | None
    preference_rank: int | None


class CompliancePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    school_id: str
    name: str
    role: str
    eligible: int
    required: int
    rotated: int
    backbone_required: int
    backbone_rotated: int
    met: bool
    shortfall_reason: str


class PolicyParameter(BaseModel):
    name: str
    default: Any
    description: str | None


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = ""
    overrides: dict[str, Any] = Field(default_factory=dict)


class PolicyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    description: str
    overrides: dict[str, Any]
    created_at: datetime
