"""Progress and stopping early, on a service whose solves last until they are stopped: the
officer watches phase, best plan, bound, gap and elapsed time, stops, and reads the best
plan found so far."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_support import OFFICER, Server, screenshot, wait_for
from pages import go, sign_in, sign_out, text_of
from selenium.webdriver.common.by import By


def test_an_officer_watches_a_solve_and_stops_it_keeping_the_best_plan(
    driver: Any, held_server: Server, small_xlsx: Path
) -> None:
    with held_server.api() as api, small_xlsx.open("rb") as fh:
        response = api.post("/datasets", files={"files": ("small.xlsx", fh)}, data={"year": "2026"})
    assert response.status_code == 201, response.text
    sign_out(driver, held_server)
    sign_in(driver, held_server, OFFICER)
    go(driver, held_server, "plan", "#plan-form")
    driver.find_element(By.ID, "plan-start").click()
    box = wait_for(lambda: driver.find_element(By.ID, "progress"), what="the progress")
    wait_for(lambda: "求解中" in box.text, what="running")
    wait_for(lambda: "%" in box.text, what="the gap")
    for label in ("阶段", "当前最优目标值", "界", "间隙", "已用时间（秒）"):
        assert label in box.text
    screenshot(driver, "08-plan-progress")
    # the progress box is redrawn every poll: click the button as it is now
    wait_for(lambda: driver.find_element(By.ID, "plan-stop").click() or True, what="stop")
    wait_for(lambda: driver.find_element(By.ID, "plan-stats"), timeout=60, what="the kept plan")
    assert "已停止（保留当前最优方案）" in text_of(driver, "main h1")
    rows = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#panel-moves tbody tr"))
    assert rows and "没有符合条件的记录" not in rows[0].text
