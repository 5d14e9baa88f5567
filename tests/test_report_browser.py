"""The HTML report in a real headless browser (Debian's Chromium driven by
Playwright): it renders its chart and highlighted evidence, shows stored text
literally, asks the network for nothing, and prints one session per page."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from click.testing import CliRunner
from test_ui_support import BAD_TURNS, GOOD_TURNS, FixedClock, play_session

from coach.cli import cli
from coach.store import open_store


def _chromium() -> str:
    path = os.environ.get("COACH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure, not a skip
        pytest.fail("chromium is not installed (apt-get install -y chromium)")
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A rep's practice sessions (the engine, on the scripted analyser), a
    comment holding markup, an override; exported as HTML by the command line."""
    folder = tmp_path_factory.mktemp("report")
    db = folder / "coach.db"
    st = open_store(db)
    st._now = FixedClock()
    good = play_session(st, "Ana <Lima>", GOOD_TURNS + ["So the outage cost you more in trust than in hardware."],
                        seed=1)
    bad = play_session(st, "Ana <Lima>", BAD_TURNS, seed=2)
    st.add_comment(good, author="maria", text="<b>bold?</b> [red]no[/red]", turn_id=st.session(good).turns[1].id)
    st.override_score(bad, score=20, reason="The pitch came before any discovery", author="maria")
    out = folder / "ana.html"
    r = CliRunner().invoke(cli, ["--db", str(db), "export", "--rep", "Ana <Lima>", "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out, [st.session(good), st.session(bad)]


@pytest.fixture(scope="module")
def page(report):
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report[0].as_uri())
        page.wait_for_load_state("load")
        page.requests = requests
        yield page
        browser.close()


def test_the_report_asks_the_network_for_nothing(page, report):
    assert page.requests == [report[0].as_uri()]


def test_the_chart_is_drawn_inline_with_a_point_per_session(page, report):
    chart = page.locator("svg.chart")
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert chart.locator("circle").count() == len(report[1])
    # The points sit where the scores in force put them: the override (20) lower than the first session.
    ys = [float(c.get_attribute("cy")) for c in chart.locator("circle").all()]
    assert report[1][1].final_score == 20 and ys[1] > ys[0]


def test_evidence_is_highlighted_good_and_bad(page, report):
    good, bad = report[1]
    first = page.locator(f"#session-{good.id} mark.good").first
    assert first.is_visible() and first.get_attribute("title")
    assert page.locator(f"#session-{good.id} mark.bad").count() == 0
    assert page.locator(f"#session-{bad.id} mark.bad").count() >= 2
    # Highlights are painted: a bad one's background is not the page's.
    colour = page.locator(f"#session-{bad.id} mark.bad").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")


def test_stored_text_is_shown_literally(page):
    assert page.locator("h1").inner_text() == "Coaching report: Ana <Lima>"
    comment = page.locator(".turn .comment").first
    assert "<b>bold?</b> [red]no[/red]" in comment.inner_text()
    assert comment.locator("b").count() == 0


def test_the_override_shows_beside_the_machines_score(page, report):
    bad = report[1][1]
    text = page.locator(f"#session-{bad.id}").inner_text()
    assert "Score 20" in text and f"the machine's: {bad.score:.0f}" in text
    assert "maria set the score to 20" in text and "The pitch came before any discovery" in text


def test_it_prints_one_session_per_page_and_a_screenshot_is_kept(page, report, tmp_path):
    page.emulate_media(media="print")
    breaks = page.locator("section.session").evaluate_all("els => els.map(e => getComputedStyle(e).breakBefore)")
    assert breaks == ["page", "page"]  # after the page with the chart and the list of sessions
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 1 + len(report[1])
    page.emulate_media(media="screen")
    shot = report[0].with_suffix(".png")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    os.environ.get("COACH_KEEP_SCREENSHOT") and shutil.copy(shot, os.environ["COACH_KEEP_SCREENSHOT"])
