"""Publishing and the record in the browser: a roster whose implausible values are shown on
the import result and the county page; a plan's unfilled needs with their causes and the
indicators it makes worse; an officer publishes it after a confirmation naming the county
and year, the plan then reads 已发布 and offers nothing that would change it, and the entry
is on the 操作日志 page; the publication record per county, where the officer makes next
year's roster from the plan in force (生成下一年名册) and follows the link to it; a viewer
sees no publish button, no such button and no audit log. Every new page is photographed at 1366×768."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from browser_support import OFFICER, VIEWER, Server, poll_done, screenshot, wait_for
from pages import choose, go, set_value, sign_in, sign_out, tab, text_of, unlabelled_controls
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

COUNTY = "和平县"


@pytest.fixture(scope="module")
def odd_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A county with more posts than teachers to fill them (needs stay open), one teacher
    born in 1900 and one whose last exchange ends in 2030: it loads, with two plausibility warnings."""
    from datetime import datetime

    import openpyxl

    from rotation.io.writing import write_dataset_xlsx
    from sample_data import generate

    path = tmp_path_factory.mktemp("odd") / "heping.xlsx"
    write_dataset_xlsx(generate("many_posts_small", seed=1, year=2026), path)
    book = openpyxl.load_workbook(path)
    sheet = book["教师"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("出生日期") + 1, datetime(1900, 1, 1))
    sheet.cell(3, header.index("上次交流结束年份") + 1, 2030)
    book.save(path)
    return path


def planned(server: Server, dataset_id: int) -> int:
    with server.api() as api:
        plan = api.post(
            f"/datasets/{dataset_id}/plans", json={"year": 2026, "time_limit": 20, "seed": 1}
        ).json()
        assert poll_done(api, f"/plans/{plan['id']}")["status"] == "done"
    return int(plan["id"])


def test_an_officer_reads_the_warnings_and_unfilled_needs_publishes_and_finds_it_logged(
    driver: Any, server: Server, odd_roster: Path
) -> None:
    sign_out(driver, server)
    sign_in(driver, server, OFFICER)

    # the import result lists the plausibility warnings, in Chinese
    go(driver, server, "import", "#roster-files")
    driver.find_element(By.ID, "roster-files").send_keys(str(odd_roster))
    set_value(driver.find_element(By.ID, "roster-year"), "2026")
    set_value(driver.find_element(By.ID, "roster-county"), COUNTY)
    driver.find_element(By.ID, "upload-button").click()
    card = wait_for(lambda: driver.find_element(By.ID, "import-snapshot"), what="the snapshot")
    dataset_id = int(card.text.split("#")[1].split()[0])
    warnings = wait_for(lambda: driver.find_element(By.ID, "import-warnings"))
    assert "合理性提示（2 条）" in warnings.text
    assert "1900-01-01" in warnings.text and "不在 18–70 岁之间" in warnings.text
    assert "上次交流结束年份晚于方案年度 2026" in warnings.text
    assert COUNTY in card.text
    driver.execute_script("arguments[0].scrollIntoView();", card)
    screenshot(driver, "21-import-warnings")
    assert unlabelled_controls(driver) == []

    # ... and so does the county page, for as long as the snapshot is chosen
    go(driver, server, "county", "#county-warnings")
    county_box = text_of(driver, "#county-warnings")
    assert "导入时的合理性提示（2 条）" in county_box and "1900-01-01" in county_box
    screenshot(driver, "22-county-warnings", docs="county-warnings")

    plan_id = planned(server, dataset_id)
    with server.api() as api:
        plan = api.get(f"/plans/{plan_id}").json()
        unfilled = plan["metrics"]["unfilled_needs"]
        worse = api.get(f"/plans/{plan_id}/indicators").json()["warnings"]
    assert unfilled, "this county has more posts than teachers to fill them"

    # the unfilled needs with their causes, filtered by cause and by school
    go(driver, server, f"plans/{plan_id}", "#plan-stats")
    assert driver.find_element(By.ID, "publish-open").is_displayed()
    tab(driver, "unfilled")
    rows = driver.find_elements(By.CSS_SELECTOR, "#panel-unfilled tbody tr")
    assert len(rows) == len(unfilled)
    assert unfilled[0]["reason_zh"] in text_of(driver, "#panel-unfilled")
    for select_id, key in (("unfilled-cause", "cause"), ("unfilled-stage", "stage")):
        value, n = Counter(u[key] for u in unfilled).most_common()[-1]
        choose(driver, select_id, value)
        wait_for(
            lambda n=n: len(driver.find_elements(By.CSS_SELECTOR, "#panel-unfilled tbody tr")) == n,
            what=f"{n} rows of {value}",
        )
        choose(driver, select_id, "")
    wait_for(
        lambda: (
            len(driver.find_elements(By.CSS_SELECTOR, "#panel-unfilled tbody tr")) == len(unfilled)
        )
    )
    screenshot(driver, "23-plan-unfilled", docs="plan-unfilled")
    assert unlabelled_controls(driver) == []
    school = unfilled[0]["school_name"]
    set_value(driver.find_element(By.ID, "unfilled-school"), school)
    mine = sum(u["school_name"] == school for u in unfilled)
    wait_for(
        lambda: len(driver.find_elements(By.CSS_SELECTOR, "#panel-unfilled tbody tr")) == mine,
        what="the school's rows",
    )
    driver.find_element(By.ID, "unfilled-school").clear()
    wait_for(
        lambda: (
            len(driver.find_elements(By.CSS_SELECTOR, "#panel-unfilled tbody tr")) == len(unfilled)
        ),
        what="every row again",
    )

    # the indicators the plan makes worse, as the API reports them
    tab(driver, "indicators")
    box = wait_for(lambda: driver.find_element(By.ID, "indicator-warnings"))
    if worse:
        assert f"交流后变差的指标（{len(worse)} 项）" in box.text
        assert worse[0].split(" / ")[0][:20] in box.text
    else:
        assert "没有全县指标因本方案变差" in box.text
    screenshot(driver, "24-plan-indicator-warnings")

    # publish: a confirmation naming the county and year; Escape leaves it unpublished
    driver.find_element(By.ID, "publish-open").click()
    dialog = wait_for(lambda: driver.find_element(By.ID, "publish-dialog"))
    assert f"将方案 #{plan_id} 发布为 {COUNTY} 2026 学年的正式方案" in dialog.text
    assert "还没有已发布的方案" in dialog.text
    assert driver.switch_to.active_element.get_attribute("id") == "publish-cancel"
    screenshot(driver, "25-publish-confirm", docs="plan-publish-confirm")
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(lambda: not driver.find_elements(By.ID, "publish-dialog"), what="the dialog gone")
    assert driver.switch_to.active_element.get_attribute("id") == "publish-open"
    with server.api() as api:
        assert api.get("/published", params={"plan_id": plan_id}).json() == []
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(lambda: driver.find_element(By.ID, "publish-confirm")).click()
    status = wait_for(lambda: driver.find_element(By.ID, "publication-status"), what="已发布")
    assert status.text == "已发布"
    line = text_of(driver, "#plan-publication")
    with server.api() as api:
        (published,) = api.get("/published", params={"plan_id": plan_id}).json()
    assert f"{COUNTY} 2026 学年正式方案" in line and f"由 {published['published_by']} 发布" in line
    assert not driver.find_elements(By.ID, "publish-open")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#panel-moves tbody tr"))
    assert not driver.find_elements(By.XPATH, "//button[normalize-space()='锁定']")
    screenshot(driver, "26-plan-published", docs="plan-published")
    tab(driver, "adjust")
    assert "本方案已发布，不能调整" in text_of(driver, "#panel-adjust")
    assert not driver.find_elements(By.ID, "replan-start")

    # the audit log: the publication, found by action, by object and by day
    go(driver, server, "audit", "#audit-form")
    choose(driver, "audit-action", "published")
    driver.find_element(By.ID, "audit-search").click()
    wait_for(lambda: "action=published" in driver.current_url, what="the filter in the address")

    def only_publications() -> bool:
        rows = driver.find_elements(By.CSS_SELECTOR, "#audit-result tbody tr")
        return bool(rows) and all("发布" in r.text and "导入" not in r.text for r in rows)

    wait_for(only_publications, what="the entries of publications only")
    first = driver.find_element(By.CSS_SELECTOR, "#audit-result tbody tr")
    assert f"方案 #{plan_id}" in first.text and COUNTY in first.text
    go(driver, server, f"audit?object_kind=plan&object_id={plan_id}&from=2000-01-01",
       "#audit-result tbody tr")  # fmt: skip
    wait_for(lambda: "生成方案" in text_of(driver, "#audit-result"), what="the plan's entries")
    assert "发布" in text_of(driver, "#audit-result")
    assert driver.find_element(By.ID, "audit-object-id").get_attribute("value") == str(plan_id)
    screenshot(driver, "27-audit-log", docs="audit-log")
    assert unlabelled_controls(driver) == []
    go(driver, server, f"audit?object_id={plan_id}&to=2000-01-01", "#audit-result tbody tr")
    wait_for(lambda: "没有符合条件的操作记录" in text_of(driver, "#audit-result"))

    # a second plan supersedes it: the county's record keeps both
    second = planned(server, dataset_id)
    with server.api() as api:
        assert api.post(f"/plans/{second}/publish").status_code == 200
    go(driver, server, f"published?county={COUNTY}", "#published-result tbody tr")
    record = text_of(driver, "#published-result")
    assert "已被替代" in record and f"#{second}" in record and f"#{plan_id}" in record
    screenshot(driver, "28-publications", docs="publications")
    assert unlabelled_controls(driver) == []

    # next year's roster from the plan in force: the officer starts the apply job on the
    # publication record, sees it end, and follows the link to the new snapshot
    wait_for(lambda: driver.find_element(By.ID, f"apply-start-{second}"), what="the button")
    assert not driver.find_elements(By.ID, f"apply-start-{plan_id}"), "superseded: no button"
    start = driver.find_element(By.ID, f"apply-start-{second}")
    assert start.text == "生成下一年名册"
    start.click()
    done = wait_for(lambda: driver.find_element(By.ID, "apply-done"), 60, "the new roster")
    with server.api() as api:
        (job,) = api.get("/apply", params={"dataset_id": dataset_id}).json()
    new = job["dataset"]
    assert job["status"] == "done" and job["plan_id"] == second and new["year"] == 2027
    assert f"已生成 2027 学年名册：开始交流 {job['applied']['started']} 人" in done.text
    screenshot(driver, "28b-apply-done")
    assert unlabelled_controls(driver) == []
    done.find_element(By.CSS_SELECTOR, "a.apply-snapshot").click()
    wait_for(lambda: "全县概况" in text_of(driver, "main h1"), what="the county page")
    picker = driver.find_element(By.ID, "dataset-picker")
    assert picker.get_attribute("value") == str(new["id"])
    driver.execute_script("sessionStorage.setItem('console.dataset', arguments[0]);", dataset_id)
    go(driver, server, f"plans/{plan_id}", "#publication-status")
    assert driver.find_element(By.ID, "publication-status").text == "已被替代"
    go(driver, server, "plan", "main h1")
    wait_for(
        lambda: {"已发布", "已被替代"} <= set(text_of(driver, "main table").split()),
        what="both plans marked in the list",
    )

    # the new pages in English
    driver.find_element(By.ID, "lang-switch").click()
    wait_for(lambda: "Superseded" in text_of(driver, "main table"), what="English")
    go(driver, server, "audit", "#audit-result tbody tr")
    wait_for(lambda: "Audit log" in text_of(driver, "main h1"), what="the page in English")
    wait_for(lambda: "published" in text_of(driver, "#audit-result"))
    screenshot(driver, "29-audit-log-english")
    assert unlabelled_controls(driver) == []
    go(driver, server, f"published?county={COUNTY}", "#published-result tbody tr")
    wait_for(lambda: "Publications" in text_of(driver, "main h1"), what="the record in English")
    assert "Superseded" in text_of(driver, "#published-result")
    assert driver.find_element(By.ID, f"apply-start-{second}").text == "Make next year's roster"
    driver.find_element(By.ID, "lang-switch").click()
    wait_for(lambda: "发布记录" in text_of(driver, "main h1"), what="Chinese again")


def test_a_viewer_sees_no_publish_button_and_no_audit_log(
    driver: Any, server: Server, small_xlsx: Path
) -> None:
    with server.api() as api:
        with small_xlsx.open("rb") as fh:
            ds = api.post(
                "/datasets",
                files={"files": ("small.xlsx", fh)},
                data={"year": "2026", "county": "查看县"},
            )
        assert ds.status_code == 201, ds.text
    dataset_id = ds.json()["id"]
    plan_id = planned(server, dataset_id)
    sign_out(driver, server)
    sign_in(driver, server, VIEWER)
    driver.execute_script("sessionStorage.setItem('console.dataset', arguments[0]);", dataset_id)
    assert "操作日志" not in driver.find_element(By.ID, "nav").text
    assert "发布记录" in driver.find_element(By.ID, "nav").text
    go(driver, server, f"plans/{plan_id}", "#plan-stats")
    wait_for(lambda: "未发布" in text_of(driver, "#plan-publication"))
    assert not driver.find_elements(By.ID, "publish-open")
    with server.api() as api:
        assert api.post(f"/plans/{plan_id}/publish").status_code == 200
    go(driver, server, "published?county=查看县", "#published-result tbody tr")
    assert f"#{plan_id}" in text_of(driver, "#published-result")
    assert "下一年名册" not in text_of(driver, "#published-result")
    assert not driver.find_elements(By.CSS_SELECTOR, "[id^='apply-start-']")
    go(driver, server, "audit", "main h1")
    wait_for(lambda: "操作日志需要经办人权限" in text_of(driver))
    assert not driver.find_elements(By.ID, "audit-form")
