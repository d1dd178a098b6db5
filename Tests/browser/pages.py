"""Small helpers that act on cosell's pages the way a person does: through labels, forms and buttons."""

import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "cosell-demo-password"


def sign_in(d: WebDriver, base: str, email: str) -> None:
    d.get(base + "/sign-in")
    d.find_element(By.ID, "sign-in-email").send_keys(email)
    d.find_element(By.ID, "sign-in-password").send_keys(PASSWORD)
    d.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button[type=submit]").click()
    WebDriverWait(d, 10).until(lambda x: "/sign-in" not in x.current_url)


def text(d: WebDriver) -> str:
    return d.find_element(By.TAG_NAME, "body").text


def open_form(d: WebDriver, action: str):
    """The deal page's form for one action, opened if it is folded."""
    details = d.find_element(By.ID, f"form-{action}")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    return details.find_element(By.TAG_NAME, "form")


def fill(form, values: dict) -> None:
    for name, value in values.items():
        el = form.find_element(By.NAME, name)
        if el.tag_name == "select":
            Select(el).select_by_value(value)
        elif el.get_attribute("type") in ("date", "datetime-local"):
            # Chromium's date inputs take typed digits in the locale's order; set the value directly.
            el._parent.execute_script("arguments[0].value = arguments[1];", el, value)
        else:
            el.clear()
            el.send_keys(value)


def submit(form) -> None:
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def act(d: WebDriver, deal_url: str, action: str, values: dict | None = None) -> None:
    """Fills and sends one form of the deal page, then waits for the page to come back."""
    if d.current_url.split("?")[0] != deal_url:
        d.get(deal_url)
    form = open_form(d, action)
    fill(form, values or {})
    old = d.find_element(By.TAG_NAME, "html")
    submit(form)
    WebDriverWait(d, 10).until(lambda x: old.id != x.find_element(By.TAG_NAME, "html").id)


def click_button(d: WebDriver, text_: str) -> None:
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.XPATH, f"//button[normalize-space()={xpath_literal(text_)}]").click()
    WebDriverWait(d, 10).until(lambda x: old.id != x.find_element(By.TAG_NAME, "html").id)


def xpath_literal(s: str) -> str:
    if "'" not in s:
        return f"'{s}'"
    return "concat('" + "', \"'\", '".join(s.split("'")) + "')"


def screenshot(d: WebDriver, folder: pathlib.Path, name: str, width: int) -> pathlib.Path:
    """A full-page screenshot at a given width."""
    d.set_window_size(width, 900)
    height = d.execute_script("return Math.max(document.body.scrollHeight, 900)")
    d.set_window_size(width, min(int(height) + 120, 12000))
    path = folder / f"{name}-{width}.png"
    d.save_screenshot(str(path))
    d.set_window_size(1280, 900)
    return path
