"""`rotation serve`: start the web service (FastAPI under uvicorn)."""

from __future__ import annotations

import typer

from cli.main import app
from cli.options import LangOpt


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / address to listen on"),
    port: int = typer.Option(8000, "--port", help="端口 / port"),
    lang: LangOpt = "zh",
) -> None:
    """启动方案服务（配置见环境变量 DATABASE_URL、ROTATION_TOKENS）/ start the service.

    配置来自环境变量 DATABASE_URL、ROTATION_TOKENS 等（见 README）；Ctrl-C 停止。

    Configured by DATABASE_URL, ROTATION_TOKENS and the other variables the README lists;
    Ctrl-C stops it.
    """
    import os

    import uvicorn
    from pydantic import ValidationError

    from api.app import create_app
    from api.settings import Settings

    # Returned URLs come from ROTATION_BASE_URL, never from a request's Host; by default the
    # address the server listens on.
    default_base = None if os.environ.get("ROTATION_BASE_URL") else f"http://{host}:{port}"
    try:
        settings = Settings() if default_base is None else Settings(base_url=default_base)
    except ValidationError as exc:
        for err in exc.errors():
            typer.echo(str(err.get("msg", err)).removeprefix("Value error, "), err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        ("rotation service: console" if lang == "en" else "教师交流轮岗方案服务 / rotation service: 控制台 / console")
        + f" http://{host}:{port}/  "
        f"API http://{host}:{port}/docs  "
        f"(database: {settings.database_url.split('@')[-1]}, workers: {settings.workers}"
        + (f", Dask: {settings.scheduler}" if settings.scheduler else "")
        + ")"
    )
    # One server process: jobs run in the app's own worker processes (or on the Dask cluster).
    uvicorn.run(create_app(settings), host=host, port=port, workers=1, log_level="info")
