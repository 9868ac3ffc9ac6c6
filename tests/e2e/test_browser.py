"""A real browser on ``gongwen serve --demo``: Debian's chromium driven by selenium.

Nothing is downloaded: the browser and its driver are the system's (/usr/bin/chromium,
/usr/bin/chromedriver; selenium-manager is never asked). A missing browser skips the test, as a
missing LibreOffice does (and under CI=true a skip is a failure; CI installs both).

The test opens a case, breaks a rule in the body, sees the finding appear beside the field as it
types, applies the safe fix, sees the page preview change, downloads the docx and reads its text.
It then adds a follow-up reply (跟踪答复), which opens in its own tab, sees a finding on the
follow-up's body and its own preview, and opens the annual report page.
Screenshots go to /tmp/web-shots/ (case list, a finding beside its field, the page preview, the
follow-up's tab, the report page).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.load import running_server
from docx import Document

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = Path(os.environ.get("GONGWEN_WEB_SHOTS", "/tmp/web-shots"))
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1500,1400",
)

pytestmark = pytest.mark.libreoffice


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    """``gongwen serve --demo --data TMP --port FREE`` as a subprocess; yields its base URL."""
    with running_server(tmp_path / "data", demo=True) as base:
        yield base


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[object]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(
            f"未安装 chromium/chromedriver（缺少 {'、'.join(missing)}）；"
            "apt-get install chromium chromium-driver"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=tmp_path))
    options.add_argument(f"--user-data-dir={profile}")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    # an explicit driver path: selenium-manager is not run, nothing is downloaded
    service = Service(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(service=service, options=options)
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _image_digest(src: str) -> str:
    """SHA-256 of an image the page shows, fetched with the browser's own URL."""
    with urllib.request.urlopen(src, timeout=30) as r:
        return hashlib.sha256(r.read()).hexdigest()


def _settled(driver: object, quiet: float = 1.2) -> None:
    """Wait until the live check has answered the last keystroke (no htmx request running)."""
    deadline = time.monotonic() + 30
    calm_since = time.monotonic()
    while time.monotonic() < deadline:
        busy = driver.execute_script(  # type: ignore[attr-defined]
            "return document.querySelector('.htmx-request') !== null"
        )
        if busy:
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since >= quiet:
            return
        time.sleep(0.1)
    raise AssertionError("the live check did not settle")


def test_edit_break_fix_preview_download(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver: WebDriver = browser  # type: ignore[assignment]
    wait = WebDriverWait(driver, 60)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # the case list
    driver.get(server + "/cases")
    assert "案件（12/12 件）" in driver.page_source
    driver.save_screenshot(str(SHOTS / "case-list.png"))

    # open a case
    driver.find_element(By.LINK_TEXT, "提案015").click()
    wait.until(ec.presence_of_element_located((By.ID, "in-body")))
    first = wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#preview img.page"))
    ).get_attribute("src")
    assert first and "/preview/1/reply/1.png" in first
    before = _image_digest(first)

    # break a rule while typing: a half-width comma in Chinese text (GW302, with a safe fix)
    driver.find_element(By.ID, "in-author").send_keys("王芳")
    body = driver.find_element(By.ID, "in-body")
    body.click()
    driver.execute_script("const t = arguments[0]; t.focus(); t.setSelectionRange(0, 0);", body)
    body.send_keys("现将有关情况函告如下,请予支持。")
    finding = wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, '#f-body .finding[data-code="GW302"]'))
    )
    assert "半角" in finding.text or "标点" in finding.text
    box = driver.find_element(By.ID, "f-body")
    field = driver.find_element(By.CSS_SELECTOR, '.field[data-field="body"]')
    assert field.find_element(By.ID, "f-body") == box  # the finding sits beside the body field
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", field)
    driver.save_screenshot(str(SHOTS / "case-finding.png"))
    assert driver.find_element(By.ID, "f-doc_number").text == ""  # not beside other fields

    # fix it in one click (applies the safe fix and saves a new revision)
    _settled(driver)
    driver.find_element(By.ID, "fix-all").click()
    wait.until(ec.presence_of_element_located((By.ID, "saved")))
    assert "已保存为第 2 版" in driver.find_element(By.ID, "saved").text
    fixed = driver.find_element(By.ID, "in-body").get_attribute("value") or ""
    assert "现将有关情况函告如下，请予支持。" in fixed
    assert driver.find_element(By.ID, "f-body").text == ""

    # the preview shows the new revision, and its image differs
    started = time.monotonic()
    img = wait.until(
        ec.presence_of_element_located(
            (By.CSS_SELECTOR, '#preview img.page[src*="/preview/2/reply/1.png"]')
        )
    )
    wait.until(lambda d: d.execute_script("return arguments[0].complete", img))
    refreshed = time.monotonic() - started
    after = _image_digest(img.get_attribute("src") or "")
    assert after != before
    driver.execute_script("document.getElementById('preview').scrollIntoView({block: 'start'});")
    driver.save_screenshot(str(SHOTS / "case-preview.png"))
    print(f"preview after save: {refreshed:.2f} s")

    # download the docx and read it
    link = driver.find_element(By.CSS_SELECTOR, 'a.dl[data-kind="答复"]')
    link.click()
    downloads: Path = driver.downloads  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    target = None
    while time.monotonic() < deadline:
        done = [p for p in downloads.glob("*.docx")]
        if done and not list(downloads.glob("*.crdownload")):
            target = done[0]
            break
        time.sleep(0.3)
    assert target is not None, "the docx was not downloaded"
    assert target.name == "提案015-答复.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(target.read_bytes())).paragraphs)
    assert "现将有关情况函告如下，请予支持。" in text
    assert "关于优化营商环境助力民营经济发展的提案" in text

    # add a follow-up reply (跟踪答复): it opens in its own tab with its own findings
    driver.find_element(By.CSS_SELECTOR, "#new-follow summary").click()
    driver.find_element(By.ID, "new-date").send_keys("2024-11-05")
    driver.find_element(By.ID, "new-doc_number").send_keys("临经信函〔2024〕41号")
    driver.find_element(By.ID, "new-body").send_keys(
        "现将办理结果答复如下：\n\n相关措施已全部落实。"
    )
    driver.find_element(By.ID, "add-follow").click()
    wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, '#tabs a.on[data-target="follow-1"]'))
    )
    assert "已保存为第 3 版" in driver.find_element(By.ID, "saved").text
    assert driver.find_element(By.CSS_SELECTOR, "#tabs a.on").text == "跟踪答复"
    body = driver.find_element(By.ID, "in-body")
    body.click()
    body.send_keys("XX")
    finding = wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, '#f-body .finding[data-code="GW301"]'))
    )
    assert finding.get_attribute("data-path") == "follow_ups[0].reply.body"
    assert "跟踪答复" in finding.text
    driver.execute_script("window.scrollTo(0, 0);")
    driver.save_screenshot(str(SHOTS / "case-follow-up.png"))
    wait.until(
        ec.presence_of_element_located(
            (By.CSS_SELECTOR, '#preview img.page[src*="/preview/3/follow-1/1.png"]')
        )
    )

    # the annual report: statistics, narrative and its number check
    driver.get(server + "/report")
    wait.until(ec.presence_of_element_located((By.ID, "claims")))
    assert "办理工作总结" in driver.page_source
    driver.save_screenshot(str(SHOTS / "report.png"))
