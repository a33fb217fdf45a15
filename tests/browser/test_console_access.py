"""Who sees what: a wrong or expired token goes back to sign-in; a viewer sees no officer
controls and no birth dates."""

from __future__ import annotations

import re
from typing import Any

from browser_support import VIEWER, Server, poll_done, screenshot, wait_for
from pages import go, sign_in, sign_out, tab, text_of
from selenium.webdriver.common.by import By


def test_a_wrong_token_stays_on_sign_in_with_a_message(driver: Any, server: Server) -> None:
    sign_out(driver, server)
    driver.get(f"{server.url}/#/signin")
    box = wait_for(lambda: driver.find_element(By.ID, "token"))
    box.send_keys("not-a-real-token-at-all")
    driver.find_element(By.ID, "signin-button").click()
    message = wait_for(
        lambda: driver.find_element(By.ID, "signin-message").text, what="the refusal"
    )
    assert "令牌无效或已过期" in message
    assert "#/signin" in driver.current_url
    assert not driver.find_element(By.ID, "nav").is_displayed()
    screenshot(driver, "01-sign-in-refused")


def test_an_expired_token_is_sent_back_to_sign_in(
    driver: Any, server: Server, revoked_token: str
) -> None:
    sign_out(driver, server)
    driver.get(f"{server.url}/#/signin")
    wait_for(lambda: driver.find_element(By.ID, "token"))
    # a token the bureau has since withdrawn, still kept by the browser tab
    driver.execute_script("sessionStorage.setItem('console.token', arguments[0]);", revoked_token)
    driver.get(f"{server.url}/#/county")
    wait_for(lambda: "reason=invalid" in driver.current_url, what="the redirect to sign-in")
    assert "令牌无效或已过期" in wait_for(lambda: driver.find_element(By.ID, "signin-message").text)
    assert driver.execute_script("return sessionStorage.getItem('console.token');") is None


def test_a_viewer_sees_no_officer_controls_and_no_birth_dates(
    driver: Any, server: Server, small_xlsx: Any
) -> None:
    with server.api() as api:
        with small_xlsx.open("rb") as fh:
            ds = api.post("/datasets", files={"files": ("small.xlsx", fh)}, data={"year": "2026"})
        assert ds.status_code == 201, ds.text
        dataset_id = ds.json()["id"]
        plan = api.post(
            f"/datasets/{dataset_id}/plans", json={"year": 2026, "time_limit": 20, "seed": 1}
        ).json()
        assert poll_done(api, f"/plans/{plan['id']}")["status"] == "done"
    sign_out(driver, server)
    sign_in(driver, server, VIEWER)
    driver.execute_script("sessionStorage.setItem('console.dataset', arguments[0]);", dataset_id)
    nav = driver.find_element(By.ID, "nav").text
    assert "导入花名册" not in nav and "全县概况" in nav
    assert "查看者" in driver.find_element(By.ID, "who").text

    go(driver, server, "county", "#county-stats")
    tab(driver, "teachers")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#panel-teachers tbody tr"))
    page = text_of(driver, "#panel-teachers")
    assert "出生日期" not in page
    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", page), "a birth date is shown"

    go(driver, server, "plan", "main h1")
    wait_for(lambda: "本快照的方案" in text_of(driver))
    assert not driver.find_elements(By.ID, "plan-form")
    assert not driver.find_elements(By.ID, "plan-start")

    go(driver, server, f"plans/{plan['id']}", "#plan-stats")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#panel-moves tbody tr"))
    assert not driver.find_elements(By.XPATH, "//button[normalize-space()='锁定']")
    assert not driver.find_elements(By.XPATH, "//button[normalize-space()='留任']")
    tab(driver, "adjust")
    assert "调整需要经办人权限" in text_of(driver, "#panel-adjust")
    assert not driver.find_elements(By.ID, "replan-start")

    go(driver, server, "policy", "#policy-form")
    assert not driver.find_element(By.ID, "policy-save").is_displayed()
    screenshot(driver, "09-viewer-policy")
