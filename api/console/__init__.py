"""The web console: a static front end (plain HTML and ES modules, no build step) served by
the app at ``/``, with its vendored libraries under ``/console/static/vendor/``. It calls
the JSON API with the officer's or viewer's token; every figure it shows comes from there."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
NO_STORE = {"Cache-Control": "no-cache"}


def mount_console(app: FastAPI) -> None:
    """``/`` answers the console's page; ``/console/static`` its scripts, styles and libraries."""

    @app.get("/", include_in_schema=False)
    def console_page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html", headers=NO_STORE)

    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
