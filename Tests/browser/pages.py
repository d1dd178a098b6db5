"""Small helpers that act on cosell's pages the way a person does: through labels, forms and buttons."""

import base64
import pathlib
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "cosell-demo-password"
WAIT = 15
# A form's answer on a loaded CI machine (the debug build, the suites before it still winding down) has
# taken longer than WAIT; a page that never comes still fails, only later.
PAGE_WAIT = 45


def sign_in(d: WebDriver, base: str, email: str) -> None:
    d.get(base + "/sign-in")
    d.find_element(By.ID, "sign-in-email").send_keys(email)
    d.find_element(By.ID, "sign-in-password").send_keys(PASSWORD)
    d.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button[type=submit]").click()
    WebDriverWait(d, WAIT).until(lambda x: "/sign-in" not in x.current_url)


def text(d: WebDriver) -> str:
    return d.find_element(By.TAG_NAME, "body").text


class ByLabel(str):
    """A select's option given by the start of its visible label ("Marcus Chen") rather than its value."""


def open_form(d: WebDriver, action: str):
    """The deal page's form for one action, opened if it is folded."""
    details = d.find_element(By.ID, f"form-{action}")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    return details.find_element(By.TAG_NAME, "form")


def is_folded(d: WebDriver, action: str) -> bool:
    return d.find_element(By.ID, f"form-{action}").get_attribute("open") is None


def fill(form, values: dict) -> None:
    for name, value in values.items():
        el = form.find_element(By.NAME, name)
        if el.tag_name == "select":
            if isinstance(value, ByLabel):
                el.find_element(
                    By.XPATH, f"./option[starts-with(normalize-space(), {xpath_literal(value)})]").click()
            else:
                Select(el).select_by_value(value)
        elif el.get_attribute("type") in ("date", "datetime-local"):
            # Chromium's date inputs take typed digits in the locale's order; set the value directly.
            el._parent.execute_script("arguments[0].value = arguments[1];", el, value)
        else:
            el.clear()
            el.send_keys(value)


def submit(form) -> None:
    """Sends the form only: where the form also offers to advance the deal ("… and advance to …"),
    its other button."""
    form.find_element(By.CSS_SELECTOR, "button[type=submit]:not([name=then])").click()


def wait_new_page(d: WebDriver, old) -> None:
    WebDriverWait(d, PAGE_WAIT).until(lambda x: old.id != x.find_element(By.TAG_NAME, "html").id)


def settle(d: WebDriver) -> None:
    """Waits until Chromium has laid out and painted the page as it is now (after a resize, say)."""
    d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0)));")


def act(d: WebDriver, deal_url: str, action: str, values: dict | None = None) -> None:
    """Fills and sends one form of the deal page, then waits for the page to come back."""
    if d.current_url.split("?")[0] != deal_url:
        d.get(deal_url)
    form = open_form(d, action)
    fill(form, values or {})
    old = d.find_element(By.TAG_NAME, "html")
    submit(form)
    wait_new_page(d, old)


def click_button(d: WebDriver, text_: str) -> None:
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.XPATH, f"//button[normalize-space()={xpath_literal(text_)}]").click()
    wait_new_page(d, old)


def xpath_literal(s: str) -> str:
    if "'" not in s:
        return f"'{s}'"
    return "concat('" + "', \"'\", '".join(s.split("'")) + "')"


def screenshot(d: WebDriver, folder: pathlib.Path, name: str, width: int, media: str | None = None) -> pathlib.Path:
    """A full-page screenshot at a given width (the window is put back to 1280 x 900 after).
    `media="print"` shows the page as its print stylesheet lays it out."""
    if media:
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    try:
        d.set_window_size(width, 900)
        for _ in range(3):  # the page reflows at each size; the window's frame takes some of its height
            inner, page = d.execute_script(
                "return [window.innerHeight, Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)]")
            if inner >= page:
                break
            frame = d.get_window_size()["height"] - inner
            d.set_window_size(width, min(page + frame, 16000))
        d.execute_script("window.scrollTo(0, 0)")
        # Let Chromium lay out and paint the grown window before taking the picture (else the part
        # below the old height comes out blank).
        settle(d)
        path = folder / f"{name}-{width}.png"
        d.save_screenshot(str(path))
    finally:
        if media:
            d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        d.set_window_size(1280, 900)
        settle(d)  # so that the next click lands where the page is laid out at 1280 px
    return path


def save_pdf(d: WebDriver, folder: pathlib.Path, name: str) -> pathlib.Path:
    """The page printed to PDF by Chromium (its print stylesheet)."""
    path = folder / f"{name}.pdf"
    path.write_bytes(base64.b64decode(d.print_page()))
    return path


def overflowing(d: WebDriver) -> list[str]:
    """Elements wider than the page (outside a scrolling wrapper): what makes a phone scroll sideways."""
    return d.execute_script("""
        const w = document.documentElement.clientWidth, out = [];
        for (const el of document.querySelectorAll('main *')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.right <= w + 1) continue;
          let p = el.parentElement, clipped = false;
          while (p && p !== document.body) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
            p = p.parentElement;
          }
          if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                                 (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
                                 ' right=' + Math.round(r.right));
        }
        return out.slice(0, 10);""")


# ---------------------------------------------------------------------------------------------------
# Counting what people do: every click, form submission and typed URL of a walk goes through these.

class ClickCounter:
    """Every click, form submission and typed-in URL of a walk, in order, with who did it and why."""

    def __init__(self):
        self.steps: list[tuple[str, str, str]] = []  # (person, kind, what)

    def add(self, person: str, kind: str, what: str) -> None:
        self.steps.append((person, kind, what))

    @property
    def total(self) -> int:
        return len(self.steps)

    def breakdown(self, start: int = 0) -> str:
        lines = [f"{n:>3}. {who:<15} {kind:<9} {what}"
                 for n, (who, kind, what) in enumerate(self.steps[start:], start=start + 1)]
        by_kind: dict[str, int] = {}
        for _, kind, _ in self.steps[start:]:
            by_kind[kind] = by_kind.get(kind, 0) + 1
        lines.append("by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())))
        return "\n".join(lines)


HOME_SECTIONS_JS = """
    const out = {};
    for (const id of ['mine-h', 'company-h', 'partners-h']) {
      const s = document.querySelector('section[aria-labelledby=' + id + ']');
      if (!s) { out[id] = null; continue; }
      const more = [...s.querySelectorAll('p.muted')].some(p => p.innerText.startsWith('Showing'));
      out[id] = {heading: s.querySelector('h2').innerText, truncated: more,
                 items: [...s.querySelectorAll('li')].map(li => ({
                   text: li.innerText,
                   hrefs: [...li.querySelectorAll('a')].map(a => a.getAttribute('href') || '')}))};
    }
    return out;"""


class Person:
    """One person in their own browser session; what they do is counted in a shared ClickCounter."""

    def __init__(self, d: WebDriver, base: str, name: str, company: str, counter: ClickCounter):
        self.d, self.base, self.name, self.company, self.counter = d, base, name, company, counter

    @property
    def first(self) -> str:
        return self.name.split()[0]

    # --- counted -----------------------------------------------------------------------------------

    def go(self, url: str, what: str) -> None:
        """Types a URL (counted)."""
        self.counter.add(self.first, "url", what)
        self.d.get(url if url.startswith("http") else self.base + url)

    def click(self, element, what: str, kind: str = "click", navigates: bool = True) -> None:
        """Clicks a link or button (counted); waits for the next page when it navigates."""
        self.counter.add(self.first, kind, what)
        old = self.d.find_element(By.TAG_NAME, "html")
        element.click()
        if navigates:
            wait_new_page(self.d, old)

    def press(self, label: str, what: str | None = None) -> None:
        """Clicks the enabled button with this text (counted)."""
        b = self.d.find_element(By.XPATH, f"//button[normalize-space()={xpath_literal(label)}]")
        assert b.is_enabled(), f"{self.name}: the button '{label}' is disabled"
        self.click(b, what or label, kind="submit")
        self.expect_saved(label)

    def act(self, action: str, values: dict | None = None, what: str | None = None, advance: bool = False) -> None:
        """Fills and sends one form of the deal page the person is on: opening a folded form is a
        click, sending it a submission; filling fields is not counted. `advance`: the form meets the
        gate's last part and is sent with its "… and advance" button (which must be there)."""
        assert "/deals/" in self.d.current_url, f"{self.name} is not on a deal page: {self.d.current_url}"
        if is_folded(self.d, action):
            self.counter.add(self.first, "click", f"unfold the form '{action}'")
        form = open_form(self.d, action)
        fill(form, values or {})
        button = form.find_element(
            By.CSS_SELECTOR, "button[name=then][value=advance]" if advance else "button[type=submit]:not([name=then])")
        self.click(button, what or f"send '{action}'", kind="submit")
        self.expect_saved(action)

    def expect_saved(self, what: str) -> None:
        """A form the server took redirects back with its notice; a refused one answers with errors."""
        if "notice=" not in self.d.current_url:
            errors = [e.text for e in self.d.find_elements(By.CSS_SELECTOR, ".error, .form-error") if e.text]
            raise AssertionError(f"{self.name}: '{what}' was refused: {errors or text(self.d)[:2000]}")

    def assign(self, move: str, owner: str) -> bool:
        """Gives a move of the current stage its owner with the move's Assign form (counted); False
        when the page offers no such form."""
        li = self.d.find_element(
            By.XPATH, "//details[contains(@class,'current')]//li[contains(@class,'move')]"
                      f"[contains(normalize-space(), {xpath_literal(move)})]")
        forms = li.find_elements(By.CSS_SELECTOR, "form.owner-form")
        if not forms:
            return False
        form = forms[0]
        fill(form, {"owner_id": ByLabel(owner)})
        self.click(form.find_element(By.CSS_SELECTOR, "button[type=submit]"),
                   f"assign '{move}' to {owner}", kind="submit")
        self.expect_saved("assign")
        return True

    def nav(self, label: str, what: str | None = None) -> None:
        """A link of the main navigation (counted)."""
        link = self.d.find_element(By.XPATH, f"//nav[@aria-label='Main']//a[normalize-space()={xpath_literal(label)}]")
        self.click(link, what or f"'{label}' in the navigation")

    # --- not counted: what the test looks at -------------------------------------------------------

    def home(self, shots: tuple[pathlib.Path, str] | None = None) -> dict:
        """The person's home page, read in a second tab so their own page stays as it is (not counted):
        {"mine-h"|"company-h"|"partners-h": {"heading": …, "items": [{"text", "hrefs"}]}}."""
        main = self.d.current_window_handle
        self.d.switch_to.new_window("tab")
        try:
            self.d.get(self.base + "/")
            sections = self.d.execute_script(HOME_SECTIONS_JS)
            if shots:
                folder, name = shots
                for w in (375, 1280):
                    screenshot(self.d, folder, name, w)
            return sections
        finally:
            self.d.close()
            self.d.switch_to.window(main)


def deal_items(section: dict | None, deal_id: str, pattern: str | None = None) -> list[str]:
    """The items of a home page section that point at a deal (and whose action, the item's first line,
    matches `pattern`, a regex, if given)."""
    if not section:
        return []
    out = []
    for item in section["items"]:
        if any(deal_id.lower() in h.lower() for h in item["hrefs"]):
            if pattern is None or re.search(pattern, item["text"].split("\n")[0], re.IGNORECASE):
                out.append(" | ".join(line for line in item["text"].split("\n") if line.strip()))
    return out


SIDE_WORDS = re.compile(r"(?<![\w'-])(host|partner)(?![\w-])(?!(?:'s)? ?(?:manager|program))", re.IGNORECASE)


def side_words(s: str) -> list[str]:
    """Lines that show the words "host" or "partner" as a side (where a company name belongs)."""
    return [line for line in s.split("\n") if SIDE_WORDS.search(line)]
