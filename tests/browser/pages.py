"""What the browser tests do on a page: sign in, open a page, find by text, upload."""

from __future__ import annotations

from typing import Any

from browser_support import Server, wait_for
from selenium.webdriver.common.by import By


def sign_in(driver: Any, server: Server, token: str) -> None:
    driver.get(f"{server.url}/#/signin")
    box = wait_for(lambda: driver.find_element(By.ID, "token"), what="the token field")
    box.clear()
    box.send_keys(token)
    driver.find_element(By.ID, "signin-button").click()
    wait_for(lambda: driver.find_element(By.ID, "nav").is_displayed(), what="the menu")


def sign_out(driver: Any, server: Server) -> None:
    """A fresh tab's state: no token, Chinese."""
    driver.get(f"{server.url}/#/signin")
    driver.execute_script("sessionStorage.clear(); localStorage.clear();")
    driver.refresh()


def go(driver: Any, server: Server, hash_path: str, ready: str) -> Any:
    """Open ``#/hash_path`` and wait for the element ``ready`` (a CSS selector)."""
    driver.get(f"{server.url}/#/{hash_path}")
    return wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ready), what=ready)


def text_of(driver: Any, css: str = "main") -> str:
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def button(driver: Any, text: str) -> Any:
    return wait_for(
        lambda: driver.find_element(By.XPATH, f"//button[normalize-space()='{text}']"),
        what=f"button {text}",
    )


def tab(driver: Any, key: str) -> None:
    driver.find_element(By.ID, f"tab-{key}").click()
    wait_for(lambda: driver.find_element(By.ID, f"panel-{key}"), what=f"panel {key}")


def set_value(element: Any, value: str) -> None:
    element.clear()
    element.send_keys(value)


def choose(driver: Any, select_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, select_id)).select_by_value(value)


def chart_drawn(driver: Any, container_id: str) -> bool:
    """ECharts drew into the container (a canvas of non-zero size)."""
    return bool(
        driver.execute_script(
            "const c = document.querySelector('#' + arguments[0] + ' canvas');"
            "return !!c && c.width > 0 && c.height > 0;",
            container_id,
        )
    )


def unlabelled_controls(driver: Any) -> list[str]:
    """Form controls on the page that a screen reader could not name."""
    return list(
        driver.execute_script(
            """
            const out = [];
            for (const el of document.querySelectorAll('input, select, textarea')) {
              if (el.type === 'hidden') continue;
              const named = (el.id && document.querySelector(`label[for="${el.id}"]`))
                || el.closest('label') || el.getAttribute('aria-label')
                || el.getAttribute('aria-labelledby');
              if (!named) out.push(el.outerHTML.slice(0, 120));
            }
            return out;
            """
        )
    )


# The plan page's tabs for the forms of exchange besides the transfer, in the order the
# season photographs them: (tab key, the element drawn once the API answered, screenshot
# name in out/screenshots/, the README's picture in docs/screenshots/ or "").
PLAN_FORM_TABS: tuple[tuple[str, str, str, str], ...] = (
    ("principals", "#principals-headline", "13a-plan-principals", "plan-principals"),
    ("support", "#panel-support tbody tr", "13b-plan-support", ""),
    ("itinerant", "#itinerant-teachers tbody tr", "13c-plan-itinerant", "plan-itinerant"),
    ("shadowing", "#shadowing-note", "13d-plan-shadowing", ""),
)


def open_form_tab(driver: Any, key: str) -> Any:
    """Open one of ``PLAN_FORM_TABS`` and wait until its content from the API is drawn."""
    ready = next(r for k, r, _, _ in PLAN_FORM_TABS if k == key)
    tab(driver, key)
    return wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ready), what=ready)
