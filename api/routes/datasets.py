"""Datasets: upload a roster (immutable numbered snapshot), read it back, page through it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from api.audit import Action, record
from api.auth import CallerDep, OfficerDep
from api.dataset_store import itinerant_snapshot, load_dataset, store_dataset
from api.deps import SessionDep, SettingsDep
from api.personal import reasons_for
from api.publication import county_from_file_name
from api.queries import dataset_or_404 as get_record
from api.queries import dataset_year_or_404
from api.roster_pages import school_page, snapshot_view, teacher_page
from api.schemas import (
    MAX_OFFSET,
    MAX_YEAR,
    MIN_YEAR,
    DatasetDetail,
    DatasetPublic,
    Page,
    SchoolPublic,
    TeacherPublic,
)
from api.tables import DatasetRecord
from api.uploads import UploadedFile, UploadRejected, problem_dicts, read_upload
from rotation.io.plausibility import plausibility_problems
from rotation.models import Dataset
from rotation.policy import Policy

router = APIRouter(prefix="/datasets", tags=["datasets"])

NOT_FOUND = "数据集不存在 / no such dataset"


def summarize(dataset: Dataset, year: int) -> dict[str, Any]:
    from rotation.summary import dataset_summary

    return dataset_summary(dataset, year, Policy())


def _detail(
    record: DatasetRecord, summary: dict[str, Any] | None = None, year: int | None = None
) -> DatasetDetail:
    data = DatasetPublic.model_validate(record).model_dump()
    if year is not None:
        data["year"] = year
    return DatasetDetail(**data, summary=summary if summary is not None else record.summary)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=DatasetDetail,
    summary="导入花名册（.xlsx 或 CSV）/ upload a roster",
    description=(
        "上传一个 .xlsx 工作簿，或 schools.csv、teachers.csv（可选 needs.csv）。"
        "全部行无误才保存为新的数据快照，并返回与 `rotation check-data` 相同的摘要；"
        "否则返回 422 并列出每一处行级问题，不保存任何数据。"
        " / One .xlsx workbook or the CSV files. Stored as a new snapshot only when every row "
        "reads cleanly; otherwise 422 with every row-level problem and nothing stored."
    ),
    responses={
        413: {"description": "文件过大或行数过多 / too large"},
        415: {"description": "文件类型不支持 / unsupported file type"},
        422: {"description": "数据有问题，未保存 / problems found, nothing stored"},
    },
)
def upload_dataset(
    caller: OfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="一个 .xlsx，或多个 .csv 文件")],
    year: Annotated[
        int | None,
        Form(ge=MIN_YEAR, le=MAX_YEAR, description="摘要的方案年度，默认今年 / plan year"),
    ] = None,
    county: Annotated[
        str | None,
        Form(
            max_length=100, description="县区名称或代码，默认取文件名 / county (default: file name)"
        ),
    ] = None,
) -> Any:
    plan_year = year or date.today().year
    try:
        upload = read_upload(
            [UploadedFile(f.filename or "upload", f.file) for f in files],
            max_bytes=settings.max_upload_bytes,
            max_rows=settings.max_rows,
        )
    except UploadRejected as exc:
        body: dict[str, Any] = {"detail": exc.message}
        if exc.problems:
            body["problems"] = exc.problems
        return JSONResponse(body, status_code=exc.status_code)
    summary = summarize(upload.dataset, plan_year)
    # what loads but deserves a look, kept with the snapshot (the console lists it)
    summary["warnings"] = problem_dicts(
        [*upload.warnings, *plausibility_problems(upload.dataset, plan_year, upload.where)]
    )
    summary["absent_columns"] = list(upload.dataset.absent_columns)
    summary.update(itinerant_snapshot(upload.dataset))  # shown as stored (store_dataset keeps it)
    try:
        record_ = store_dataset(
            session,
            upload.dataset,
            file_name=upload.file_name,
            checksum=upload.checksum,
            year=plan_year,
            summary=summary,
            county=(county or "").strip() or county_from_file_name(upload.file_name),
        )
        session.flush()
        assert record_.id is not None
        record(
            session,
            caller,
            Action.IMPORTED,
            "dataset",
            record_.id,
            file_name=upload.file_name,
            checksum=upload.checksum,
            county=record_.county,
            teachers=len(upload.dataset.teachers),
        )
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        raise
    session.refresh(record_)
    return _detail(record_)


@router.get("", response_model=list[DatasetPublic], summary="数据快照列表 / datasets")
def list_datasets(_caller: CallerDep, session: SessionDep, county: str | None = None) -> Any:
    query = select(DatasetRecord)
    if county is not None:
        query = query.where(DatasetRecord.county == county)
    return session.exec(query.order_by(col(DatasetRecord.id).desc())).all()


@router.get(
    "/{dataset_id}",
    response_model=DatasetDetail,
    summary="数据快照摘要、名额与指标 / summary, quotas, indicators",
)
def get_dataset(
    dataset_id: int,
    _caller: CallerDep,
    session: SessionDep,
    year: Annotated[
        int | None,
        Query(ge=MIN_YEAR, le=MAX_YEAR, description="按此年度重新计算 / recompute for a year"),
    ] = None,
) -> Any:
    record = get_record(session, dataset_id)
    if year is None or year == record.year:
        return _detail(record)
    dataset = load_dataset(session, dataset_id)
    summary = summarize(dataset, year)
    stored = [w for w in record.summary.get("warnings", []) if w.get("kind") != "implausible"]
    summary["warnings"] = stored + problem_dicts(plausibility_problems(dataset, year))
    summary["absent_columns"] = list(dataset.absent_columns)
    return _detail(record, summary, year)


@router.get(
    "/{dataset_id}/teachers",
    response_model=Page[TeacherPublic],
    summary="教师名单（分页，可按学校、学科、学段、资格筛选）/ teachers",
    description=(
        "出生日期与年龄仅对经办人（officer）可见 / birth dates and ages are shown to officers only."
    ),
)
def list_teachers(
    dataset_id: int,
    caller: CallerDep,
    session: SessionDep,
    school_id: str | None = None,
    subject: str | None = None,
    stage: str | None = None,
    eligible: Annotated[bool | None, Query(description="只看符合/不符合交流条件的")] = None,
    year: Annotated[
        int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="资格所依据的年度 / year")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    own_year = dataset_year_or_404(session, dataset_id)
    view = snapshot_view(session, dataset_id, year or own_year)
    total, rows = teacher_page(
        session,
        dataset_id,
        view,
        school_id=school_id,
        subject=subject,
        stage=stage,
        eligible=eligible,
        offset=offset,
        limit=limit,
    )
    table = view.eligibility
    items = [
        TeacherPublic(
            **t.model_dump(mode="json", exclude={"birth_date", "preferences"}),
            preferences=list(t.preferences),
            birth_date=t.birth_date if caller.is_officer else None,
            eligible=table[t.teacher_id].eligible,
            ineligible_reasons=reasons_for(caller, list(table[t.teacher_id].reasons)),
        )
        for t in rows
    ]
    return Page[TeacherPublic](total=total, offset=offset, limit=limit, items=items)


@router.get(
    "/{dataset_id}/schools",
    response_model=Page[SchoolPublic],
    summary="学校名单（分页，可按学校、学段、角色筛选）/ schools",
)
def list_schools(
    dataset_id: int,
    _caller: CallerDep,
    session: SessionDep,
    school_id: str | None = None,
    stage: str | None = None,
    role: Annotated[str | None, Query(description="sender / receiver / both / none")] = None,
    area: str | None = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    view = snapshot_view(session, dataset_id, dataset_year_or_404(session, dataset_id))
    total, ids = school_page(
        session,
        dataset_id,
        view,
        school_id=school_id,
        stage=stage,
        area=area,
        role=role,
        offset=offset,
        limit=limit,
    )
    dataset = view.dataset
    items = [
        SchoolPublic(
            **dataset.school[i].model_dump(mode="json", exclude={"role"}),
            role=view.roles[i].value,
            teachers=len(dataset.teachers_by_school[i]),
        )
        for i in ids
    ]
    return Page[SchoolPublic](total=total, offset=offset, limit=limit, items=items)
