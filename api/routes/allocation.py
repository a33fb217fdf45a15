"""县管校聘 allocation (校内竞聘 → 跨校竞聘 → 组织调剂) as a job, and title posts (中高级岗位)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import (
    APIRouter,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    Response,
    UploadFile,
    status,
)
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlmodel import Session

from api.auth import CallerDep, OfficerDep
from api.dataset_store import load_dataset
from api.deps import UNPROCESSABLE, EngineDep, RunnerDep, SessionDep, SettingsDep
from api.downloads import attachment
from api.job_views import job_fields
from api.jobs.runner import JobRunner
from api.links import public_url
from api.personal import job_for
from api.posts_upload import posts_params, read_posts_upload
from api.queries import (
    add_job,
    cancel_or_409,
    dataset_or_404,
    job_or_404,
    job_with_result,
    list_jobs,
)
from api.request_checks import check_time_limit
from api.schemas import (
    MAX_OFFSET,
    AllocationCreate,
    AllocationPublic,
    DatasetFilter,
    JobAccepted,
    JobPublic,
    Page,
    TitlePostsCreate,
)
from api.settings import Settings
from api.tables import ALLOCATION, QUEUED, JobRun
from api.uploads import UploadRejected
from rotation.hiring import AllocationResult, AllocationRound
from rotation.title_posts import TitlePostError, TitlePostResult
from workflows.title_posts import share_title_posts

router = APIRouter(tags=["allocation"])


@router.post(
    "/datasets/{dataset_id}/allocation",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    summary="县管校聘：校内竞聘、跨校竞聘、组织调剂（后台运行）/ start the hiring rounds",
    description=(
        "按编制标准核定各校岗位：第一轮校内竞聘（按评价排序留任），第二轮跨校竞聘（按志愿，"
        "只能去层级不高于原校的学校，level_rule=false 时不限），第三轮组织调剂（CP-SAT 求解），"
        "仍未安置者列入待岗培训并说明原因；结果经独立校验。用 GET /allocation/{id} 查询。"
        " / The three hiring rounds in a worker process, checked independently."
    ),
)
def create_allocation(
    dataset_id: int,
    body: AllocationCreate,
    request: Request,
    response: Response,
    _caller: OfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Any:
    return _start_allocation(dataset_id, body, request, response, session, settings, runner)


@router.post(
    "/datasets/{dataset_id}/allocation/with-posts",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    summary="县管校聘，按上传的核定岗位表（后台运行）/ start the hiring rounds with approved posts",
    description=(
        "与 POST /datasets/{dataset_id}/allocation 相同，但各校岗位取上传的核定岗位表 posts.csv"
        "（school_id, stage, subject, posts；与 rotation allocate --posts 同一格式、同一校验），"
        "不按编制标准推算。表单字段：request（与 JSON 请求相同的参数，JSON 文本）、posts（文件）。"
        "核定岗位表有误时返回 422，列出每处问题的文件、行、列与应填内容，不创建任务。"
        " / As POST .../allocation, with the posts taken from an uploaded posts.csv (the CLI's "
        "--posts format and checks). Multipart fields: request (the JSON body as text) and posts "
        "(the file). A bad file gets 422 with every problem's file, row and column; no job."
    ),
    responses={
        413: {"description": "文件过大 / file too large"},
        415: {"description": "不是 .csv 文件 / not a .csv file"},
        422: {"description": "请求或核定岗位表有误 / invalid request or posts file"},
    },
)
def create_allocation_with_posts(
    dataset_id: int,
    request: Request,
    response: Response,
    _caller: OfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    posts: Annotated[UploadFile, File(description="核定岗位表 posts.csv / approved posts")],
    body: Annotated[
        str,
        Form(
            alias="request",
            description='与 JSON 请求相同的参数，如 {"year": 2026} / the JSON request as text',
        ),
    ],
) -> Any:
    dataset_or_404(session, dataset_id)
    try:
        parsed = AllocationCreate.model_validate_json(body)
    except ValidationError as exc:
        raise HTTPException(
            UNPROCESSABLE,
            detail=[{"loc": ["request", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()],
        ) from exc
    dataset = load_dataset(session, dataset_id)
    try:
        approved = read_posts_upload(
            posts.filename or "posts.csv", posts.file, dataset, settings.max_upload_bytes
        )
    except UploadRejected as exc:
        content: dict[str, Any] = {"detail": exc.message}
        if exc.problems:
            content["problems"] = exc.problems
        return JSONResponse(content, status_code=exc.status_code)
    extra = posts_params(posts.filename or "posts.csv", approved)
    return _start_allocation(
        dataset_id, parsed, request, response, session, settings, runner, extra
    )


def _start_allocation(
    dataset_id: int,
    body: AllocationCreate,
    request: Request,
    response: Response,
    session: Session,
    settings: Settings,
    runner: JobRunner,
    extra: dict[str, Any] | None = None,
) -> JobAccepted:
    dataset_or_404(session, dataset_id)
    check_time_limit(settings, body.time_limit)
    if body.scores:
        known = load_dataset(session, dataset_id).teacher
        unknown = sorted(t for t in body.scores if t not in known)
        if unknown:
            raise HTTPException(
                UNPROCESSABLE,
                detail=f"评价分数中有未知教师 {', '.join(unknown[:10])} / scores name unknown "
                f"teachers",
            )
    params = {**body.model_dump(mode="json", exclude={"year"}), **(extra or {})}
    job = add_job(session, ALLOCATION, dataset_id, body.year, params)
    session.commit()
    assert job.id is not None
    runner.wake()
    url = public_url(request, "get_allocation", job_id=job.id)
    response.headers["Location"] = url
    return JobAccepted(id=job.id, kind=ALLOCATION, status=QUEUED, url=url)


def allocation_summary(result: dict[str, Any]) -> dict[str, Any]:
    """Counts per round (with their Chinese names) and the per-school summary."""
    allocation = result["allocation"]
    metrics = allocation["metrics"]
    return {
        "metrics": metrics,
        "rounds": [
            {"round": r.value, "name": r.label_zh, "teachers": metrics.get(r.value, 0)}
            for r in AllocationRound
        ],
        "schools": allocation["schools"],
    }


def allocation_public(session: Session, job: JobRun) -> AllocationPublic:
    result = job.result
    return AllocationPublic(
        **job_fields(session, job),
        summary=allocation_summary(result) if result else None,
        check=result.get("check") if result else None,
    )


@router.get(
    "/allocation", response_model=list[JobPublic], summary="县管校聘任务列表 / allocation jobs"
)
def list_allocations(
    caller: CallerDep, session: SessionDep, dataset_id: DatasetFilter = None
) -> Any:
    jobs = list_jobs(session, ALLOCATION, dataset_id)
    return [job_for(caller, JobPublic(**job_fields(session, j))) for j in jobs]


@router.get(
    "/allocation/{job_id}",
    response_model=AllocationPublic,
    summary="县管校聘的状态、各轮人数、各校汇总与校验结论 / status, summary, check",
)
def get_allocation(job_id: int, caller: CallerDep, session: SessionDep) -> Any:
    return job_for(caller, allocation_public(session, job_or_404(session, job_id, ALLOCATION)))


@router.delete(
    "/allocation/{job_id}",
    response_model=AllocationPublic,
    status_code=status.HTTP_202_ACCEPTED,
    summary="取消县管校聘任务 / cancel an allocation job",
)
def cancel_allocation(
    job_id: int, _caller: OfficerDep, session: SessionDep, engine: EngineDep
) -> Any:
    job = cancel_or_409(session, engine, job_or_404(session, job_id, ALLOCATION))
    return allocation_public(session, job)


@router.get(
    "/allocation/{job_id}/rows",
    response_model=Page[dict[str, Any]],
    summary="每位教师的聘用结果（分页，可按轮次、原学校、聘用学校筛选）/ every teacher's outcome",
    description=(
        "round：kept 校内竞聘、cross 跨校竞聘、assigned 组织调剂、unplaced 待岗培训（附原因）。"
        " / One row per teacher, in teacher_id order."
    ),
)
def allocation_rows(
    job_id: int,
    _caller: CallerDep,
    session: SessionDep,
    round_: Annotated[
        str | None, Query(alias="round", description="kept / cross / assigned / unplaced")
    ] = None,
    from_school_id: str | None = None,
    to_school_id: str | None = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Any:
    job = job_with_result(session, job_id, ALLOCATION)
    assert job.result is not None
    rows = sorted(job.result["allocation"]["rows"], key=lambda r: r["teacher_id"])
    chosen = [
        r
        for r in rows
        if (round_ is None or r["round"] == round_)
        and (from_school_id is None or r["from_school_id"] == from_school_id)
        and (to_school_id is None or r["to_school_id"] == to_school_id)
    ]
    return Page[dict[str, Any]](
        total=len(chosen), offset=offset, limit=limit, items=chosen[offset : offset + limit]
    )


def _download(session: Session, job_id: int, kind: str) -> Response:
    from rotation.allocation_files import write_allocation_csv, write_allocation_xlsx

    job = job_with_result(session, job_id, ALLOCATION)
    assert job.result is not None
    allocation = AllocationResult.model_validate(job.result["allocation"])
    if kind == "xlsx":
        dataset = load_dataset(session, job.dataset_id)
        return attachment(
            f"allocation-{job_id}.xlsx",
            lambda path: write_allocation_xlsx(allocation, dataset, path),
        )
    return attachment(
        f"allocation-{job_id}.csv", lambda path: write_allocation_csv(allocation, path)
    )


@router.get(
    "/allocation/{job_id}/allocation.csv",
    summary="下载聘用结果 allocation.csv / the allocation as CSV",
    response_class=Response,
)
def allocation_csv(job_id: int, _caller: CallerDep, session: SessionDep) -> Response:
    return _download(session, job_id, "csv")


@router.get(
    "/allocation/{job_id}/allocation.xlsx",
    summary="下载聘用结果工作簿 / the allocation as an Excel workbook",
    response_class=Response,
)
def allocation_xlsx(job_id: int, _caller: CallerDep, session: SessionDep) -> Response:
    return _download(session, job_id, "xlsx")


@router.post(
    "/datasets/{dataset_id}/title-posts",
    response_model=TitlePostResult,
    summary="中高级岗位按编制分配到校并向乡村倾斜 / allocate senior and intermediate posts",
    description=(
        "全县高级、中级岗位总数按各校编制分配到校：总数恰好分完，不少于各校现有高级、一级职称"
        "人数（现有人员不低聘），乡村学校中高级岗位占编制比例至少高出城镇学校 tilt。"
        "立即返回结果，每校附计算说明；总数不够现有持证人数时返回 422。不保存任何数据。"
        " / Computed at once; 422 when the totals cannot cover the current holders."
    ),
    responses={422: {"description": "总数不足或参数无效 / totals too small or invalid"}},
)
def title_posts(
    dataset_id: int, body: TitlePostsCreate, _caller: CallerDep, session: SessionDep
) -> Any:
    dataset_or_404(session, dataset_id)
    dataset = load_dataset(session, dataset_id)
    try:
        return share_title_posts(dataset, body.senior, body.intermediate, body.tilt)
    except TitlePostError as exc:
        raise HTTPException(UNPROCESSABLE, detail=str(exc)) from exc
