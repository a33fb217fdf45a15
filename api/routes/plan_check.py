"""Check a plan file (plan.csv or the exported plan.xlsx, as an officer edited it) against
a stored dataset: a thin route over ``workflows.check.check_plan_file``. An uploaded
workbook's form sheets (跟岗学习, 校长交流, 走教安排) are checked with it; a lone plan.csv has
no form files beside it. Nothing is stored."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.responses import JSONResponse

from api.auth import CallerDep
from api.dataset_store import load_dataset
from api.deps import SessionDep, SettingsDep
from api.queries import dataset_or_404
from api.uploads import UploadRejected, _copy_limited, problem_dicts, safe_name
from rotation.io import DatasetError
from rotation.io.plan_forms import FORMS
from rotation.policy import Policy
from workflows.check import check_plan_file

router = APIRouter(tags=["plans"])
UNPROCESSABLE = 422


@router.post(
    "/datasets/{dataset_id}/plan-check",
    summary="校验上传的方案文件（可为人工调整后的方案）/ check an uploaded plan file",
    description=(
        "上传 plan.csv 或导出的 plan.xlsx（人工调整后亦可），按此数据集与默认政策重新校验："
        "每处违规附方案文件的行号、规则名称与说明，并按此方案重新计算达标情况。plan.xlsx 的"
        "跟岗学习、校长交流、走教安排工作表一并校验（违规的 file 指明工作表，forms 列出已校验的"
        "交流形式）。不保存任何数据。"
        " / Every violation with the file's rows, the rule and words to act on; compliance "
        "recomputed from the file. A plan.xlsx's 跟岗学习, 校长交流 and 走教安排 sheets are "
        "checked too (a finding's file names the sheet; forms lists the forms checked). "
        "Nothing is stored."
    ),
    responses={422: {"description": "方案文件无法读取 / the plan file cannot be read"}},
)
def check_uploaded_plan(
    dataset_id: int,
    _caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="plan.csv 或 plan.xlsx")],
    year: Annotated[
        int | None, Form(description="方案年度，缺省取方案的开始年份 / plan year")
    ] = None,
    forms: Annotated[
        list[UploadFile] | None,
        File(
            description="与 plan.csv 同目录的交流形式文件（跟岗学习.csv、principal_exchanges.csv、"
            "itinerant_schedule.csv），可选 / the form files beside a plan.csv, optional"
        ),
    ] = None,
) -> Any:
    dataset_or_404(session, dataset_id)
    name = safe_name(file.filename or "plan.csv")
    if PurePath(name).suffix.lower() not in (".csv", ".xlsx"):
        raise HTTPException(
            415, detail="方案文件须为 .csv 或 .xlsx / the plan must be a .csv or .xlsx file"
        )
    beside = [(safe_name(f.filename or ""), f) for f in forms or []]
    _refuse_forms(name, [n for n, _ in beside])
    dataset = load_dataset(session, dataset_id)
    with tempfile.TemporaryDirectory(prefix="rotation-plan-check-") as tmp:
        path = Path(tmp) / name
        try:
            budget = settings.max_upload_bytes
            budget -= _copy_limited(file.file, path, budget, hashlib.sha256())
            for form_name, upload in beside:
                budget -= _copy_limited(
                    upload.file, Path(tmp) / form_name, budget, hashlib.sha256()
                )
            result = check_plan_file(dataset, path, Policy(), year=year, label=name)
        except UploadRejected as exc:
            return JSONResponse({"detail": exc.message}, status_code=exc.status_code)
        except DatasetError as exc:
            return JSONResponse(
                {
                    "detail": f"方案文件有 {len(exc.problems)} 处问题 / {len(exc.problems)} problem(s) in the plan file",
                    "problems": problem_dicts(exc, Path(tmp)),
                },
                status_code=UNPROCESSABLE,
            )
        except ValueError as exc:
            raise HTTPException(UNPROCESSABLE, detail=str(exc)) from exc
    return {"dataset_id": dataset_id, "ok": result.ok, **result.model_dump(mode="json")}


FORM_FILES = tuple(f.file for f in FORMS)


def _refuse_forms(plan: str, names: list[str]) -> None:
    """Form files come beside a plan.csv only (a workbook holds its forms as sheets), each
    once, under the name ``rotation plan`` gives it."""
    if not names:
        return
    if PurePath(plan).suffix.lower() != ".csv":
        raise HTTPException(
            UNPROCESSABLE,
            detail="plan.xlsx 的交流形式在其工作表中，不另附文件 / a workbook holds its forms "
            "as sheets: send form files with a plan.csv only",
        )
    wrong = [n for n in names if n not in FORM_FILES or n == plan]
    if wrong or len(set(names)) != len(names):
        raise HTTPException(
            UNPROCESSABLE,
            detail=f"交流形式文件应为 {'、'.join(FORM_FILES)}，各一个（收到 {'、'.join(names)}）"
            f" / form files must be {', '.join(FORM_FILES)}, each once (got {', '.join(names)})",
        )
