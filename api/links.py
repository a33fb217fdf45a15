"""URLs the service hands out, built from the configured public address, never from ``Host``.

A request's ``Host`` header is whatever the client wrote; echoing it into ``Location`` or a
returned ``url`` lets anyone make the service point at another site. The address comes from
``ROTATION_BASE_URL``; without it the URL is the path alone (a relative reference).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from api.settings import Settings


def public_url(request: Request, route_name: str, **path_params: Any) -> str:
    settings: Settings = request.app.state.settings
    path = str(request.app.url_path_for(route_name, **path_params))
    base = settings.base_url.rstrip("/")
    return f"{base}{path}" if base else path
