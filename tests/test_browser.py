"""The web pages in a real browser: Debian's Chromium driven by Playwright against `plankg serve`.

Skipped when no Chromium is installed, unless PLANKG_REQUIRE_BROWSER=1 (as in CI), where a
missing browser fails. One screenshot per page is kept in tests/artifacts/ (not committed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if CHROMIUM is None and os.environ.get("PLANKG_REQUIRE_BROWSER") != "1":
    pytest.skip("no Chromium installed (set PLANKG_REQUIRE_BROWSER=1 to fail instead)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "PLANKG_REQUIRE_BROWSER=1 but no chromium is installed"
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def test_filter_the_task_list(page, server):
    page.goto(server + "/tasks")
    assert page.locator("#task-list tbody tr").count() == 66
    page.select_option("select[name=agency]", "县卫体局")
    page.select_option("select[name=role]", "lead")
    page.click("form.filters button")
    page.wait_for_url("**/tasks?*")
    rows = page.locator("#task-list tbody tr")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())] == [
        "39", "49"]
    page.screenshot(path=ARTIFACTS / "tasks.png", full_page=True)


def test_open_a_task_and_see_its_lineage(page, server):
    page.goto(server + "/tasks")
    page.click("text=全面落实服务业普惠性纾困扶持措施")
    page.wait_for_url("**/tasks/1?plan=*")
    svg = page.locator("svg.lineage")
    assert svg.is_visible()
    text = svg.inner_html()
    for number in ("发改财金〔2022〕271号", "晋政办发〔2022〕33号", "晋市政办〔2022〕24号"):
        assert number in text
    assert svg.locator("a").count() >= 5
    page.screenshot(path=ARTIFACTS / "task-1.png", full_page=True)


# each label as Chromium lays it out (getBBox, in the drawing's units): a row heading, an edge's
# label (its lines together), a legend entry, and each line of a box with the box it belongs to
LABELS_JS = """() => {
  const svg = document.querySelector('svg.lineage');
  const box = els => { const bs = [...els].map(e => e.getBBox());
    return [Math.min(...bs.map(b => b.x)), Math.min(...bs.map(b => b.y)),
            Math.max(...bs.map(b => b.x + b.width)), Math.max(...bs.map(b => b.y + b.height))]; };
  const labels = [...svg.querySelectorAll('g.edge')].map(g => box(g.querySelectorAll('text')))
    .concat([...svg.querySelectorAll(':scope > text, g.legend text')].map(t => box([t])));
  const boxes = [...svg.querySelectorAll('g.box')].map(
    g => ({rect: box([g.querySelector('rect')]), lines: [...g.querySelectorAll('text')]
           .map(t => box([t]))}));
  return {labels, boxes};
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1


def test_lineage_labels_do_not_overlap_as_drawn(page, server):
    if shutil.which("dot") is None and os.environ.get("PLANKG_REQUIRE_DOT") != "1":
        pytest.skip("Graphviz's dot is not installed: the page shows a note, not a drawing")
    page.goto(server + "/tasks/1")
    drawn = page.evaluate(LABELS_JS)
    lines = [line for b in drawn["boxes"] for line in b["lines"]]
    texts = drawn["labels"] + lines
    assert len(drawn["boxes"]) == 7 and len(drawn["labels"]) >= 7 + 5 + 3
    assert [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:] if _overlap(a, b)] == []
    rects = [b["rect"] for b in drawn["boxes"]]
    assert [(a, r) for a in drawn["labels"] for r in rects if _overlap(a, r)] == []
    for b in drawn["boxes"]:  # no line is cut off by its box
        assert all(b["rect"][0] <= x0 and x1 <= b["rect"][2] for x0, _, x1, _ in b["lines"])


def test_run_sparql_from_the_page(page, server):
    page.goto(server + "/query")
    page.fill("#query", "SELECT ?n ?h WHERE { ?t pk:leadAgency ?a ; eli:number ?n ; "
                        "pk:heading ?h . ?a skos:prefLabel \"邮政沁水分公司\"@zh }")
    page.click("#run")
    page.wait_for_selector("#results")
    assert "完善寄递末端网络" in page.locator("#results").inner_text()
    page.screenshot(path=ARTIFACTS / "query.png", full_page=True)


def test_ask_from_the_home_page_and_run_its_query(page, server):
    """The question box: the answer, the interpretation in words, the SPARQL it ran, rows
    linked to their task pages; the query runs as shown on the SPARQL page."""
    page.goto(server + "/")
    page.fill("#q", "县工信局牵头哪些任务？")
    page.click("form.ask button")
    page.wait_for_selector("#answer")
    answer = page.locator("#answer").inner_text()
    assert "理解为：县工信局 作为牵头单位承担的任务" in answer and "共 1 项（第 19 项）" in answer
    assert "tasks-by-agency" in answer
    page.screenshot(path=ARTIFACTS / "ask.png", full_page=True)
    page.click("table.rows a[href^='/tasks/19']")
    page.wait_for_selector("h1")
    assert "拓展数字融合应用" in page.locator("h1").inner_text()
    page.go_back()
    page.click("#run-sparql")
    page.wait_for_selector("#results")
    assert "拓展数字融合应用" in page.locator("#results").inner_text()
    page.goto(server + "/ask?q=" + "县长是谁")
    assert "没有理解" in page.locator("#answer").inner_text()
    assert page.locator("ul.suggestions a").count() == 3


def test_validate_a_pasted_defective_plan(page, server):
    page.goto(server + "/validate")
    page.fill("#plan-text", (FIXTURES / "shapes" / "task-support-only.md").read_text("utf-8"))
    page.click("#validate")
    page.wait_for_selector("#report")
    report = page.locator("#report").inner_text()
    assert "不符合" in report and "supporting agencies only" in report
    page.screenshot(path=ARTIFACTS / "validate.png", full_page=True)


@pytest.mark.parametrize("path, name", [("/", "home"), ("/agencies", "agencies"),
                                        ("/documents/沁政办发〔2022〕33号", "document"),
                                        ("/def", "ontology"), ("/agencies/县发改局", "agency")])
def test_pages_render_on_a_phone(browser, server, path, name):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    response = page.goto(server + path)
    assert response.status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 2 or name == "agencies"  # the matrix scrolls inside its own box
    page.screenshot(path=ARTIFACTS / f"{name}-phone.png", full_page=True)
    context.close()


# ReDoc's bundle always asks for its maker's logo (hidden when it fails to load): the only
# outside request the pages make, and nothing depends on it
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.parametrize("path, operation", [("/docs", ".opblock"),
                                             ("/redoc", "[data-section-id^='operation/']")])
def test_api_docs_render_without_internet(browser, server, path, operation):
    """/docs and /redoc draw the API's operations with every request to another host refused
    (their scripts and styles are served by plankg, not fetched from a CDN)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    refused: list[str] = []

    def only_local(route):
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    page = context.new_page()
    assert page.goto(server + path).status == 200
    page.wait_for_selector(operation, timeout=20_000)
    assert "/api/tasks" in " ".join(page.locator(operation).all_inner_texts())
    assert [url for url in refused if url != REDOC_LOGO] == []
    page.screenshot(path=ARTIFACTS / f"{path.strip('/')}-offline.png")
    context.close()


def test_a_page_seen_again_is_revalidated_not_sent_again(page, server):
    """The browser keeps a page with its ETag and asks again with If-None-Match (the answers
    say ``no-cache``): the server answers 304 Not Modified, as the browser's own network log
    shows it (Playwright reports the page it then shows from its cache, as 200), and the page
    is the same."""
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    documents: list[str] = []
    status: dict[str, int] = {}
    asked: dict[str, dict] = {}
    network.on("Network.requestWillBeSent", lambda e: documents.append(e["requestId"])
               if e.get("type") == "Document" else None)
    network.on("Network.requestWillBeSentExtraInfo",
               lambda e: asked.setdefault(e["requestId"], e["headers"]))
    network.on("Network.responseReceivedExtraInfo",
               lambda e: status.setdefault(e["requestId"], e["statusCode"]))
    page.goto(server + "/agencies")
    text = page.inner_text("body")
    page.reload()
    page.goto(server + "/agencies")
    page.wait_for_timeout(200)
    assert [status.get(d) for d in documents] == [200, 304, 304]
    tags = [asked[d].get("If-None-Match", "") for d in documents]
    assert not tags[0] and tags[1] == tags[2] and tags[1].startswith('W/"')
    assert page.inner_text("body") == text
