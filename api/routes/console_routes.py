"""The read endpoints added for the web console, in one list the app includes."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import county, plan_reading, policy_form, replan, session_info

ROUTERS: tuple[APIRouter, ...] = (
    session_info.router,
    policy_form.router,
    county.router,
    plan_reading.router,
    replan.router,
)
