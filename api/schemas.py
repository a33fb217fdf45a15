"""What the API reads and answers (pydantic), apart from the tables themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.queries import MAX_ID
from rotation.locks import LockKind

T = TypeVar("T")

# Bounds of what a request may ask for: ids as the database stores them (api/queries.py),
# seeds as the solvers take them, and lists no county needs more of.
MAX_SEED = 2**31 - 1
MAX_OFFSET = 10**9
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_LOCKS = 20_000
MAX_SCORES = 200_000
MAX_POLICY_KEYS = 200
MAX_VARIED = 16
MAX_POSTS = 10_000_000
TEXT = 200
NOTE = 1_000


def _in_utc(value: datetime) -> datetime:
    """SQLite keeps no zone (the value is UTC): answered with its offset, as RFC 3339 says."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


Timestamp = Annotated[datetime, AfterValidator(_in_utc)]
# Input models refuse NaN and ±Infinity, and every field they do not know.
INPUT = ConfigDict(extra="forbid", allow_inf_nan=False)
YearQuery = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="年度 / school year")]
DatasetFilter = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="只看此数据快照的 / of this dataset only")
]


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
    county: str = Field("", description="县区（名称或代码）/ county")
    checksum: str = Field(description="上传内容的 SHA-256 / sha256 of the upload")
    created_at: Timestamp
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
    exchange_school_id: str | None = Field(
        None, description="交流所在学校（交流期内）/ where the teacher serves on an exchange"
    )
    exchange_end_year: int | None = Field(None, description="交流期满学年 / the term's last year")
    eligible: bool = Field(description="该年度是否符合交流条件 / eligible in the year")
    ineligible_reasons: list[str] = Field(default_factory=list, description="不符合条件的原因")


class LockIn(BaseModel):
    model_config = INPUT

    kind: LockKind = Field(description="assign 指定 · stay 留任 · block_school 不接收")
    teacher_id: str = Field("", max_length=TEXT)
    school_id: str = Field("", max_length=TEXT)
    note: str = Field("", max_length=NOTE)


class PlanCreate(BaseModel):
    """A plan request: the year, the policy, the locks and how long to search."""

    model_config = INPUT

    year: int = Field(ge=2000, le=2100, description="方案年度 / plan year")
    policy_name: str | None = Field(
        None, max_length=TEXT, description="已保存的政策名称 / a saved policy"
    )
    policy: dict[str, Any] = Field(
        default_factory=dict,
        max_length=MAX_POLICY_KEYS,
        description='政策参数覆盖，如 {"rotation_rate": 0.15, "weights.fill_need": 80}',
    )
    locks: list[LockIn] = Field(
        default_factory=list, max_length=MAX_LOCKS, description="锁定 / locks"
    )
    backend: Literal["highs", "cpsat", "scip", "greedy"] = Field("highs", description="求解器")
    time_limit: float = Field(
        30.0, gt=0, le=86_400, description="求解时间上限（秒）/ time limit, seconds"
    )
    relative_gap: float = Field(0.001, ge=0, le=1, description="相对间隙 / relative gap")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="随机种子 / seed")


class PlanAccepted(BaseModel):
    id: int = Field(description="方案编号 / plan id")
    status: str
    url: str


class PlanPublic(BaseModel):
    id: int
    job_id: int = Field(description="求解它的任务编号（GET /jobs/{id}）/ the job solving it")
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
    solver_status_zh: str | None = Field(
        None, description="方案状态：最优、近似最优（间隙 x%）、办公室初始方案、已中断… / in words"
    )
    solver_status_en: str | None = Field(None, description="the plan's status in English words")
    backend: str | None
    notes: list[str] | None
    created_at: Timestamp
    started_at: Timestamp | None
    finished_at: Timestamp | None
    solve_seconds: float | None
    running_seconds: float | None = Field(
        None, description="自开始求解以来的秒数（求解中）/ seconds since the solve started"
    )
    assignments: int = Field(0, description="交流人数 / moves in the plan")
    attempts: int = Field(0, description="被领取运行的次数 / times a server claimed it")
    worker: str | None = Field(None, description="运行它的进程 / where it runs (host:pid)")


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
    form: str = Field("transfer", description="transfer 交流 · support 支教（一年后返回）")


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
    model_config = INPUT

    description: str = Field("", max_length=NOTE)
    overrides: dict[str, Any] = Field(default_factory=dict, max_length=MAX_POLICY_KEYS)


class PolicyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    description: str
    overrides: dict[str, Any]
    created_at: Timestamp


# ------------------------------------------------------------------ what-if and allocation jobs
JOB_STATUS_ZH: dict[str, str] = {
    **STATUS_ZH,
    "running": "运行中",
    "cancelled": "已停止（保留已完成的部分）",
    "interrupted": "已中断（服务停止）",
}


JobKind = Literal["plan", "whatif", "allocation", "outlook", "apply"]


class JobAccepted(BaseModel):
    id: int = Field(description="任务编号 / job id")
    kind: JobKind
    status: str
    url: str


class JobPublic(BaseModel):
    """A background job's state: status, progress, parameters and timings."""

    id: int
    kind: JobKind
    dataset_id: int
    year: int
    status: Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
    status_zh: str
    queue_position: int | None = Field(None, description="排队位置（1 = 下一个）/ place in queue")
    progress: dict[str, Any] | None = Field(None, description="进度 / progress")
    params: dict[str, Any] = Field(description="任务参数 / the job's parameters")
    error: str | None = None
    cancel_requested: bool
    created_at: Timestamp
    started_at: Timestamp | None
    finished_at: Timestamp | None
    run_seconds: float | None = Field(None, description="运行用时（秒）/ seconds the job ran")
    running_seconds: float | None = Field(
        None, description="自开始运行以来的秒数（运行中）/ seconds since the job started"
    )
    attempts: int = Field(0, description="被领取运行的次数 / times a server claimed it")
    worker: str | None = Field(None, description="运行它的进程 / where it runs (host:pid)")
    lease_owner: str | None = Field(None, description="持有租约的服务 / the server holding it")
    lease_expires_at: Timestamp | None = Field(None, description="租约到期 / lease expiry")


class WhatifCreate(BaseModel):
    """A what-if sweep: every combination of the varied policy parameters, planned one by one."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)

    year: int = Field(ge=2000, le=2100, description="方案年度 / plan year")
    # The bound sits on each form, so that the OpenAPI document states it (maxItems/maxProperties).
    vary: (
        Annotated[dict[str, list[Any]], Field(max_length=MAX_VARIED)]
        | Annotated[list[str], Field(max_length=MAX_VARIED)]
    ) = Field(
        description='变化的政策参数：{"rotation_rate": [0.10, 0.15]}，或命令行写法 '
        '["rotation_rate=0.10,0.15"]；"a+b" 表示两个参数同取一值 / the varied parameters',
    )
    sets: (
        Annotated[dict[str, Any], Field(max_length=MAX_POLICY_KEYS)]
        | Annotated[list[str], Field(max_length=MAX_POLICY_KEYS)]
    ) = Field(
        default_factory=dict,
        alias="set",
        description='所有方案共用的政策参数：{"backbone_share": 0.2} 或 ["backbone_share=0.2"]',
    )
    policy_name: str | None = Field(
        None, max_length=TEXT, description="作为基准的已保存政策 / a saved base policy"
    )
    locks: list[LockIn] = Field(
        default_factory=list, max_length=MAX_LOCKS, description="锁定（所有方案共用）/ locks"
    )
    backend: Literal["highs", "cpsat", "scip", "greedy"] = Field("highs", description="求解器")
    time_limit: float = Field(
        10.0,
        gt=0,
        le=86_400,
        description="每个方案的求解时间上限（秒）/ time limit per scenario, seconds",
    )
    relative_gap: float = Field(0.001, ge=0, le=1, description="相对间隙 / relative gap")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="随机种子 / seed")


class WhatifPublic(JobPublic):
    scenarios: int = Field(0, description="方案（情景）个数 / scenarios in the grid")
    comparison: list[dict[str, Any]] | None = Field(
        None, description="比较表：每个情景一行（完成后）/ one row per scenario, when done"
    )
    outcomes: list[dict[str, Any]] | None = Field(
        None, description="每个情景的结果：是否成功、用时、校验 / each scenario's outcome"
    )
    columns: list[dict[str, str]] = Field(
        default_factory=list, description="比较表各列的中文名 / the comparison's column names"
    )


class AllocationCreate(BaseModel):
    """县管校聘: 校内竞聘, 跨校竞聘, 组织调剂 for one year."""

    model_config = INPUT

    year: int = Field(ge=2000, le=2100, description="年度 / school year")
    level_rule: bool = Field(
        True, description="只能流向层级不高于原校的学校 / move only to schools no higher in level"
    )
    scores: dict[str, float] = Field(
        default_factory=dict,
        max_length=MAX_SCORES,
        description="评价分数（教师编号 → 分数，越高越优先）/ evaluation scores, higher first",
    )
    time_limit: float = Field(
        30.0, gt=0, le=86_400, description="组织调剂求解时限（秒）/ round-3 time limit"
    )
    seed: int = Field(0, ge=0, le=MAX_SEED, description="随机种子 / seed")


class AllocationPublic(JobPublic):
    summary: dict[str, Any] | None = Field(
        None, description="各轮人数与各校汇总（完成后）/ counts per round and per school"
    )
    check: dict[str, Any] | None = Field(
        None, description="独立校验结论（ok, violations）/ the independent check's verdict"
    )


class TitlePostsCreate(BaseModel):
    model_config = INPUT

    senior: int = Field(
        ge=0, le=MAX_POSTS, description="全县高级岗位总数 / the county's senior posts"
    )
    intermediate: int = Field(
        ge=0, le=MAX_POSTS, description="全县中级岗位总数 / intermediate posts"
    )
    tilt: float = Field(
        0.05,
        ge=0,
        le=1,
        description="乡村比例至少高出城镇的幅度（0.05 = 5个百分点）/ rural tilt",
    )


class OutlookCreate(BaseModel):
    """The outlook: the county rolled forward a school year at a time (rotation outlook)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)

    from_year: int = Field(ge=2000, le=2100, description="第一年 / first plan year")
    to_year: int = Field(ge=2000, le=2100, description="最后一年 / last plan year")
    vary: (
        Annotated[dict[str, list[Any]], Field(max_length=MAX_VARIED)]
        | Annotated[list[str], Field(max_length=MAX_VARIED)]
    ) = Field(default_factory=dict, description="变化的政策参数（同政策模拟）/ varied parameters")
    sets: (
        Annotated[dict[str, Any], Field(max_length=MAX_POLICY_KEYS)]
        | Annotated[list[str], Field(max_length=MAX_POLICY_KEYS)]
    ) = Field(default_factory=dict, alias="set", description="共用的政策参数 / shared parameters")
    assume: (
        Annotated[dict[str, Any], Field(max_length=MAX_POLICY_KEYS)]
        | Annotated[list[str], Field(max_length=MAX_POLICY_KEYS)]
    ) = Field(
        default_factory=dict,
        description="对未来的假设（见 rotation.outlook）：stay_after_term_share、promotion_share、"
        "replace_leavers、hire_age、hire_degree、urban_enrolment_growth、"
        "rural_enrolment_growth、needs、seed / assumptions",
    )
    policy_name: str | None = Field(
        None, max_length=TEXT, description="作为基准的已保存政策 / a saved base policy"
    )
    locks: list[LockIn] = Field(
        default_factory=list, max_length=MAX_LOCKS, description="锁定（每年共用）/ locks"
    )
    backend: Literal["highs", "cpsat", "scip", "greedy"] = Field("highs", description="求解器")
    time_limit: float = Field(
        10.0,
        gt=0,
        le=86_400,
        description="每年方案的求解时间上限（秒）/ time limit per year, seconds",
    )
    relative_gap: float = Field(0.001, ge=0, le=1, description="相对间隙 / relative gap")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="随机种子 / seed")


class OutlookPublic(JobPublic):
    scenarios: int = Field(0, description="情景个数 / scenarios")
    outlook: dict[str, Any] | None = Field(
        None,
        description="每个情景逐年的指标、交流人数与事件，以及首个达标年份（完成后）/ each "
        "scenario's trajectory and first year meeting the standard, when done",
    )
    files: list[str] = Field(
        default_factory=list, description="可下载的文件 / files to download (GET …/files/{name})"
    )


class AuditPublic(BaseModel):
    """One audit entry: who did what to which object, and when."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: Timestamp = Field(description="时间（UTC）/ when")
    actor: str = Field(description="操作人 / who")
    action: str = Field(description="操作 / what: imported, planned, locked, cancelled, …")
    action_label: str = Field("", description="操作（中文）")
    object_kind: str = Field(description="对象类型 / dataset, plan …")
    object_id: str = Field(description="对象编号 / the object's id")
    detail: dict[str, Any] = Field(default_factory=dict)
