"""The review page in a real headless Chromium (Debian's), driven by Playwright.

Playwright ships its own driver; the browser is the system's /usr/bin/chromium (never
``playwright install``). The page is opened from file:// as a reviewer would.
"""

import json
import shutil
from pathlib import Path

import pytest

from qantara.publish import publish_document, publish_run
from qantara.types import DocumentReport, RunSummary

from test_publish import EVIL, make_bitext, mixed_bitext

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "outputs" / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not shutil.which("chromium"),
                                reason="Debian chromium is not installed (/usr/bin/chromium)")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                                             args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.dialogs, page.errors = dialogs, errors
    yield page
    context.close()


def test_review_page_renders_side_by_side(page, tmp_path):
    publish_document(mixed_bitext(), tmp_path)
    page.goto((tmp_path / "mix" / "mix.html").as_uri())
    lines = (tmp_path / "mix" / "segments.jsonl").read_text("utf-8").splitlines()
    assert page.locator("td.ar .seg").count() == len(lines) == page.locator("td.en .seg").count()
    first_ar = page.locator("td.ar").first
    assert first_ar.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("td.en").first.evaluate("e => getComputedStyle(e).direction") == "ltr"
    # Arabic sits right of English on screen.
    assert first_ar.bounding_box()["x"] > page.locator("td.en").first.bounding_box()["x"]
    flagged = page.locator("td.en .seg.flagged")
    assert flagged.count() == sum(1 for line in lines if json.loads(line)["flags"]) == 1
    assert flagged.first.is_visible() and "untranslated" in flagged.first.inner_text()
    background = flagged.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=True)
    assert (ARTIFACTS / "review-page.png").stat().st_size > 1000


def test_script_injection_shows_literally(page, tmp_path):
    publish_document(make_bitext(), tmp_path)
    publish_run(RunSummary((DocumentReport(EVIL + ".txt", "doc", "published", error=EVIL),), 0, "sig", "s", "f"),
                tmp_path)
    for target, scripts in ((tmp_path / "doc" / "doc.html", 1), (tmp_path / "index.html", 0),
                            (tmp_path / "names.html", 0)):
        page.goto(target.as_uri())
        page.wait_for_load_state("load")
        # The document page's one script is its editor; nothing from the document.
        assert page.locator("script").count() == scripts and page.locator("img").count() == 0
        assert page.evaluate("() => window.__xss === undefined")
    page.goto((tmp_path / "doc" / "doc.html").as_uri())
    assert EVIL in page.locator("td.ar").first.inner_text()
    assert page.dialogs == [] and page.errors == []
    page.screenshot(path=str(ARTIFACTS / "script-injection.png"))


def test_index_charts_render(page, tmp_path):
    publish_document(mixed_bitext(), tmp_path)
    publish_run(RunSummary((DocumentReport("mix.txt", "mix", "published"),), 0, "sig", "s", "f"), tmp_path)
    page.goto((tmp_path / "index.html").as_uri())
    assert page.locator("svg").count() == 2
    bars = page.locator("svg rect")
    assert bars.count() >= 3 and all(bars.nth(i).bounding_box()["width"] > 0 for i in range(bars.count()))
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)
