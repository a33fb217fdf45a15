"""An officer's exchange season in the browser: a bad workbook is refused with its rows and
nothing stored; then upload → county → policy → plan → progress → read (moves, the forms of
exchange: 校长交流, 支教, 走教, 跟岗学习; compliance, indicators, map) → lock → re-plan →
diff → compare → hiring rounds → download. Every page is photographed at 1366×768."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import Any

from browser_support import OFFICER, Server, screenshot, wait_for
from pages import (
    PLAN_FORM_TABS,
    button,
    chart_drawn,
    choose,
    go,
    open_form_tab,
    set_value,
    sign_in,
    sign_out,
    tab,
    text_of,
    unlabelled_controls,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def upload(driver: Any, path: Path) -> None:
    driver.find_element(By.ID, "roster-files").send_keys(str(path))
    driver.find_element(By.ID, "upload-button").click()


def test_a_bad_workbook_shows_its_errors_and_stores_nothing(
    driver: Any, server: Server, bad_xlsx: Path
) -> None:
    with server.api() as api:
        before = len(api.get("/datasets").json())
    sign_out(driver, server)
    sign_in(driver, server, OFFICER)
    go(driver, server, "import", "#roster-files")
    upload(driver, bad_xlsx)
    box = wait_for(lambda: driver.find_element(By.ID, "import-problems"), what="the problems")
    text = box.text
    assert "未导入任何数据" in text and "未保存任何数据" in text
    assert "高极" in text and "高级" in text, "the row's value and the suggestion are shown"
    assert "职称" in text
    screenshot(driver, "02-import-refused")
    assert unlabelled_controls(driver) == []
    with server.api() as api:
        assert len(api.get("/datasets").json()) == before


def test_an_officer_runs_the_season_from_upload_to_download(
    driver: Any, server: Server, small_xlsx: Path, downloads: Path
) -> None:
    sign_out(driver, server)
    sign_in(driver, server, OFFICER)

    # import
    go(driver, server, "import", "#roster-files")
    upload(driver, small_xlsx)
    card = wait_for(lambda: driver.find_element(By.ID, "import-snapshot"), what="the snapshot")
    assert "已导入为快照" in card.text
    dataset_id = int(card.text.split("#")[1].split()[0])
    screenshot(driver, "03-import-snapshot")
    assert unlabelled_controls(driver) == []

    # the county: schools with quotas, the indicators, teachers with reasons
    go(driver, server, "county", "#county-stats")
    assert "386" in text_of(driver, "#county-stats")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#panel-schools tbody tr"))
    screenshot(driver, "04-county-schools", docs="county-schools")
    assert unlabelled_controls(driver) == []
    towns = driver.find_elements(By.CSS_SELECTOR, "#filter-town option")
    choose(driver, "filter-town", towns[1].get_attribute("value"))
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#panel-schools tbody tr"))
    shown = text_of(driver, "#panel-schools")
    assert towns[1].get_attribute("value") in shown
    choose(driver, "filter-town", "")
    # the tabs answer the arrow keys
    driver.find_element(By.ID, "tab-schools").send_keys(Keys.ARROW_RIGHT)
    wait_for(lambda: driver.find_element(By.ID, "panel-indicators"), what="the next tab")
    wait_for(
        lambda: driver.switch_to.active_element.get_attribute("id") == "tab-indicators",
        what="the focus to follow the arrow key",
    )
    wait_for(lambda: chart_drawn(driver, "cv-chart"), what="the CV chart")
    screenshot(driver, "05-county-indicators")
    assert unlabelled_controls(driver) == []
    tab(driver, "teachers")
    choose(driver, "filter-eligible", "false")
    wait_for(lambda: "在本校任教未满" in text_of(driver, "#panel-teachers"), what="reasons")
    assert "出生日期" in text_of(driver, "#panel-teachers")
    screenshot(driver, "06-county-teachers")
    assert unlabelled_controls(driver) == []

    # the policy: checked as typed, saved by name
    go(driver, server, "policy", "#policy-form")
    rate = driver.find_element(By.CSS_SELECTOR, "input[data-name='rotation_rate']")
    set_value(rate, "2")
    wait_for(lambda: rate.get_attribute("aria-invalid") == "true", what="the refusal")
    err = driver.find_element(By.ID, f"{rate.get_attribute('id')}-err").text
    assert "应不大于 1" in err
    set_value(rate, "0.15")
    wait_for(lambda: rate.get_attribute("aria-invalid") == "false", what="acceptance")
    set_value(driver.find_element(By.ID, "policy-name"), "试行2026")
    driver.find_element(By.ID, "policy-save").click()
    wait_for(lambda: "已保存政策" in driver.find_element(By.ID, "policy-status").text)
    screenshot(driver, "07-policy")
    assert unlabelled_controls(driver) == []
    with server.api() as api:
        saved = {p["name"]: p for p in api.get("/policies").json()}
    assert saved["试行2026"]["overrides"] == {"rotation_rate": 0.15}

    # plan: start with the saved policy, watch progress, read
    go(driver, server, "plan", "#plan-form")
    choose(driver, "plan-policy", "试行2026")
    set_value(driver.find_element(By.ID, "plan-time-limit"), "20")
    driver.find_element(By.ID, "plan-start").click()
    wait_for(lambda: "#/plans/" in driver.current_url, what="the plan page")
    first = int(driver.current_url.rsplit("/", 1)[1])
    wait_for(lambda: driver.find_element(By.ID, "plan-stats"), timeout=90, what="the result")
    rows = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#panel-moves tbody tr"))
    assert "填补" in text_of(driver, "#panel-moves"), "each move carries its reasons"
    screenshot(driver, "10-plan-moves", docs="plan-moves")
    assert unlabelled_controls(driver) == []

    # sort by distance, longest first
    sort = button(driver, "距离")
    sort.click()
    sort = button(driver, "距离 ▲")
    sort.click()
    wait_for(lambda: driver.find_elements(By.XPATH, "//th[@aria-sort='descending']"))
    cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#panel-moves tbody td.num")]
    distances = [float(c) for c in cells if c not in ("—", "")]
    assert distances == sorted(distances, reverse=True)

    # lock the first move, keep the second teacher at home
    rows = driver.find_elements(By.CSS_SELECTOR, "#panel-moves tbody tr")
    locked_id = rows[0].find_elements(By.TAG_NAME, "td")[0].text
    kept_id = rows[1].find_elements(By.TAG_NAME, "td")[0].text
    rows[0].find_element(By.XPATH, ".//button[normalize-space()='锁定']").click()
    rows[1].find_element(By.XPATH, ".//button[normalize-space()='留任']").click()

    forms_of_exchange(driver, server, first)

    tab(driver, "compliance")
    with server.api() as api:
        units = api.get(f"/plans/{first}/compliance").json()
    short = sum(not u["met"] for u in units)
    summary = f"{len(units)} 个单位中 {short} 个未达标"
    wait_for(lambda: summary in text_of(driver, "#panel-compliance"), what=summary)
    screenshot(driver, "11-plan-compliance")
    assert unlabelled_controls(driver) == []
    tab(driver, "indicators")
    wait_for(
        lambda: chart_drawn(driver, "cv-before-after") and chart_drawn(driver, "school-indicators")
    )
    screenshot(driver, "12-plan-indicators", docs="plan-indicators")
    assert unlabelled_controls(driver) == []
    tab(driver, "map")
    wait_for(lambda: chart_drawn(driver, "moves-map"), what="the picture of moves")
    assert driver.find_element(By.ID, "no-coordinates").is_displayed()
    screenshot(driver, "13-plan-map")
    assert unlabelled_controls(driver) == []

    # re-plan from this plan with the two adjustments
    tab(driver, "adjust")
    adjustments = text_of(driver, "#panel-adjust")
    assert locked_id in adjustments and kept_id in adjustments
    screenshot(driver, "14-plan-adjust")
    assert unlabelled_controls(driver) == []
    driver.find_element(By.ID, "replan-start").click()
    wait_for(lambda: not driver.current_url.endswith(f"/plans/{first}"), what="the new plan")
    second = int(driver.current_url.rsplit("/", 1)[1])
    link = wait_for(lambda: driver.find_element(By.ID, "diff-link"), timeout=90, what="diff")
    with server.api() as api:
        run = api.get(f"/plans/{second}").json()
    assert run["options"]["hint_plan_id"] == first and run["locks"] == 2
    link.click()
    wait_for(lambda: driver.find_element(By.ID, "diff-summary"), what="the diff")
    only_first = driver.find_element(By.XPATH, "//h2[@id='only-a']/following-sibling::div[1]")
    assert kept_id in only_first.text, "the teacher kept at home moves only in the first plan"
    screenshot(driver, "15-plan-diff")
    assert unlabelled_controls(driver) == []

    # what-if: two rotation rates side by side
    go(driver, server, "compare", "#whatif-form")
    set_value(driver.find_element(By.ID, "vary-1-values"), "0.10,0.20")
    set_value(driver.find_element(By.ID, "whatif-time-limit"), "10")
    driver.find_element(By.ID, "whatif-start").click()
    table = wait_for(lambda: driver.find_element(By.ID, "whatif-table"), timeout=120)
    wait_for(lambda: chart_drawn(driver, "whatif-chart"), what="the comparison chart")
    assert "rotation_rate=0.1" in table.text and "rotation_rate=0.2" in table.text
    driver.execute_script("arguments[0].scrollIntoView();", table)
    screenshot(driver, "16-compare-whatif")
    assert unlabelled_controls(driver) == []

    # the outlook to 2027 under two rotation rates
    go(driver, server, "outlook", "#outlook-form")
    assert driver.find_element(By.ID, "outlook-to").get_attribute("value") == "2027"
    choose(driver, "outlook-vary", "rotation_rate")
    set_value(driver.find_element(By.ID, "outlook-vary-values"), "0.10,0.20")
    set_value(driver.find_element(By.ID, "outlook-time-limit"), "5")
    driver.find_element(By.ID, "outlook-start").click()
    table = wait_for(lambda: driver.find_element(By.ID, "outlook-table"), timeout=120)
    wait_for(lambda: chart_drawn(driver, "outlook-chart"), what="the trajectory chart")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 2 and "rotation_rate=0.2" in table.text
    job_id = int(driver.current_url.rsplit("=", 1)[1])
    with server.api() as api:
        outcomes = api.get(f"/outlook/{job_id}").json()["outlook"]["outcomes"]
    for row, outcome in zip(rows, outcomes, strict=True):
        first = outcome["row"]["first_year_meeting_standard"]
        assert (str(first) if first else "至 2027 年仍未达标") in row.text
    driver.execute_script("arguments[0].scrollIntoView();", table)
    screenshot(driver, "17-outlook")
    assert unlabelled_controls(driver) == []

    # 县管校聘 rounds and title posts
    go(driver, server, "hiring", "#allocation-form")
    driver.find_element(By.ID, "alloc-start").click()
    wait_for(lambda: chart_drawn(driver, "rounds-chart"), timeout=120, what="the rounds")
    assert "校内竞聘" in text_of(driver, "#allocation-result")
    with server.api() as api:
        holders = api.post(
            f"/datasets/{dataset_id}/title-posts", json={"senior": 0, "intermediate": 0}
        )
    assert holders.status_code == 422  # the form below shows the same refusal
    set_value(driver.find_element(By.ID, "tp-senior"), "120")
    set_value(driver.find_element(By.ID, "tp-intermediate"), "250")
    driver.find_element(By.ID, "tp-start").click()
    wait_for(
        lambda: (
            driver.find_elements(By.CSS_SELECTOR, "#title-posts-result tbody tr")
            or driver.find_elements(By.CSS_SELECTOR, "#title-posts-result .bad")
        )
    )
    screenshot(driver, "18-hiring")
    assert unlabelled_controls(driver) == []

    # downloads: the plan workbook arrives as a real .xlsx
    go(driver, server, "downloads", f"#dl-plan-{second}-xlsx")
    driver.find_element(By.ID, f"dl-plan-{second}-xlsx").click()
    target = downloads / f"plan-{second}.xlsx"
    wait_for(lambda: target.exists() and target.stat().st_size > 0, what="the download")
    time.sleep(0.3)
    with zipfile.ZipFile(target) as book:
        assert any(n.startswith("xl/worksheets/") for n in book.namelist())
    screenshot(driver, "19-downloads")
    assert unlabelled_controls(driver) == []


def forms_of_exchange(driver: Any, server: Server, plan_id: int) -> None:
    """The plan's 校长交流, 支教, 走教 and 跟岗学习 tabs show what the API says of the plan."""
    with server.api() as api:
        plan = api.get(f"/plans/{plan_id}").json()
        leaders = api.get(f"/plans/{plan_id}/leaders").json()
        support = api.get(f"/plans/{plan_id}/moves?form=support&limit=50").json()
        itinerant = api.get(f"/plans/{plan_id}/itinerant?limit=20").json()
        second_page = api.get(f"/plans/{plan_id}/itinerant?offset=20&limit=20").json()
        shadowing = api.get(f"/plans/{plan_id}/shadowing/covers").json()
    stats = text_of(driver, "#plan-stats")
    assert f"{plan['metrics']['support_moved']}\n其中支教" in stats
    assert f"{plan['metrics']['shadowing_placed']}\n跟岗学习" in stats
    shots = {key: (name, docs) for key, _, name, docs in PLAN_FORM_TABS}

    # 校长交流: the small county has leaders due (two full terms at one school)
    assert leaders["due"] > 0 and leaders["moves"]
    open_form_tab(driver, "principals")
    assert text_of(driver, "#principals-headline") == leaders["headline_zh"]
    stats = text_of(driver, "#principals-stats")
    assert f"{leaders['due']}\n任职期满" in stats and f"{leaders['moved']}\n已安排交流" in stats
    panel = driver.find_element(By.ID, "panel-principals")
    moved = panel.find_elements(By.CSS_SELECTOR, "table")[0].find_elements(
        By.CSS_SELECTOR, "tbody tr"
    )
    assert [r.find_elements(By.TAG_NAME, "td")[0].text for r in moved] == [
        m["teacher_id"] for m in leaders["moves"]
    ]
    if any(m["kind"] == "promoted_in_place" for m in leaders["moves"]):
        assert "副校长本校提任校长" in text_of(driver, "#panel-principals")
    screenshot(driver, *shots["principals"])
    assert unlabelled_controls(driver) == []
    stays = driver.find_elements(By.CSS_SELECTOR, "#principal-stays tbody tr")
    assert len(stays) == len(leaders["stays"])
    assert leaders["stays"][0]["reason_zh"] in stays[0].text
    driver.find_element(By.ID, "stays-due-only").click()
    due = sum(r["due"] for r in leaders["stays"])
    wait_for(
        lambda: (
            len(driver.find_elements(By.CSS_SELECTOR, "#principal-stays tbody tr")) == max(due, 1)
        ),
        what="the leaders due and not moved",
    )

    # 支教: the moves of that form, with the form column and the filter set
    open_form_tab(driver, "support")
    assert f"本方案 {support['total']} 人" in text_of(driver, "#support-note")
    assert driver.find_element(By.ID, "moves-form").get_attribute("value") == "support"
    rows = driver.find_elements(By.CSS_SELECTOR, "#panel-support tbody tr")
    if support["total"]:
        assert [r.find_elements(By.TAG_NAME, "td")[0].text for r in rows] == [
            m["teacher_id"] for m in support["items"]
        ]
        assert all("支教" in r.text for r in rows)
    else:
        assert "没有符合条件的记录" in rows[0].text
    screenshot(driver, *shots["support"])
    assert unlabelled_controls(driver) == []

    # 走教: each teacher's week, 20 to a page, and every hour need with what is left
    assert itinerant is not None and itinerant["teachers"]["total"] > 20
    open_form_tab(driver, "itinerant")
    assert text_of(driver, "#itinerant-summary") == itinerant["summary_zh"]
    note = f"{len(itinerant['needs'])} 项课时需求，{itinerant['needs_open']} 项仍有缺口。"
    assert text_of(driver, "#itinerant-needs-note") == note
    rows = driver.find_elements(By.CSS_SELECTOR, "#itinerant-teachers tbody tr")
    first_week = itinerant["teachers"]["items"][0]
    assert (
        len(rows) == 20
        and rows[0].find_elements(By.TAG_NAME, "td")[0].text == first_week["teacher_id"]
    )
    day = first_week["days"][0]
    assert f"{day['school']} {day['hours']} 节" in rows[0].text
    assert f"共 {itinerant['teachers']['total']} 条" in text_of(driver, "#panel-itinerant")
    screenshot(driver, *shots["itinerant"])
    assert unlabelled_controls(driver) == []
    driver.find_element(
        By.XPATH, "//div[@id='itinerant-teachers']//button[normalize-space()='下一页']"
    ).click()
    following = second_page["teachers"]["items"][0]["teacher_id"]
    wait_for(
        lambda: (
            driver.find_element(By.CSS_SELECTOR, "#itinerant-teachers tbody td").text == following
        ),
        what="the second page of 走教 teachers",
    )
    driver.find_element(By.ID, "needs-open-only").click()
    left = sum(n["open"] > 0 for n in itinerant["needs"])
    wait_for(
        lambda: (
            len(driver.find_elements(By.CSS_SELECTOR, "#itinerant-needs tbody tr")) == max(left, 1)
        ),
        what="the needs with hours left",
    )

    # 跟岗学习: the small county's roster has no applicant, so the page says so
    open_form_tab(driver, "shadowing")
    note = f"申请跟岗学习 {shadowing['applicants']} 人，安排 {shadowing['placed']} 人"
    assert note in text_of(driver, "#shadowing-note")
    if shadowing["placed"]:
        rows = driver.find_elements(By.CSS_SELECTOR, "#panel-shadowing tbody tr")
        assert len(rows) == shadowing["placed"]
        assert shadowing["placements"][0]["cover_name"] in rows[0].text
    elif shadowing["applicants"]:
        assert "本方案没有安排跟岗学习" in text_of(driver, "#shadowing-empty")
    else:
        assert "没有教师申请跟岗学习" in text_of(driver, "#shadowing-empty")
    screenshot(driver, *shots["shadowing"])
    assert unlabelled_controls(driver) == []

    # the English switch: the forms' tabs and the API's own English
    driver.find_element(By.ID, "lang-switch").click()
    wait_for(lambda: driver.find_element(By.ID, "tab-itinerant").text == "Itinerant teaching")
    open_form_tab(driver, "itinerant")
    assert text_of(driver, "#itinerant-summary") == itinerant["summary_en"]
    open_form_tab(driver, "principals")
    assert text_of(driver, "#principals-headline") == leaders["headline_en"]
    screenshot(driver, "13e-plan-principals-english")
    driver.find_element(By.ID, "lang-switch").click()
    wait_for(lambda: driver.find_element(By.ID, "tab-itinerant").text == "走教")


def test_the_console_switches_to_english_and_back(driver: Any, server: Server) -> None:
    sign_out(driver, server)
    sign_in(driver, server, OFFICER)
    go(driver, server, "county", "main h1")
    driver.find_element(By.ID, "lang-switch").click()
    wait_for(lambda: "Import roster" in driver.find_element(By.ID, "nav").text)
    assert driver.execute_script("return document.documentElement.lang") == "en"
    screenshot(driver, "20-english")
    assert unlabelled_controls(driver) == []
    driver.find_element(By.ID, "lang-switch").click()
    wait_for(lambda: "导入花名册" in driver.find_element(By.ID, "nav").text)
