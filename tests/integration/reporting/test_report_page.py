"""The annual report as a funder reads it, over real HTTP from a release: the French page
(headline, suppressed figures, charts with their alternative text), in a real headless
browser, as PDF, and its tables as French CSV and one XLSX."""

import csv
import io
import re
import time
from datetime import date
from html import unescape
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from peerwork_registry.application import Registry
from peerwork_registry.publication import to_contract
from peerwork_reporting.report.page import SECTIONS
from peerwork_reporting.storage.sqlite import SqliteFile
from peerwork_reporting.storage.store import StatisticsStore
from tests.helpers import CONSENT, ServedApp, bearer
from tests.integration.reporting.released import released_app

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
# Babel writes French numbers as CLDR does: a narrow no-break space between thousands and
# a no-break space before the percent sign.
HEADLINE = (
    "Au 31 décembre 2022, la plateforme comptait 1\u202f020 travailleurs pairs, répartis dans "
    "3 structures partenaires et 2 départements, soit 57\xa0% pour la région Auvergne-Rhône-Alpes."
)
CHARTS = 8  # peer workers by région, three of growth, domains, sectors, employed by sector, the funnel


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """1 020 peer workers on 31 December 2022: 581 in Auvergne-Rhône-Alpes (the Rhône and
    Isère, each with a structure), 437 in Bretagne, 2 in Paris (suppressed, with Bretagne's
    to keep them hidden), and 2 more registered in 2023."""
    registry = Registry(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    registry.register_structure("Lyon", None, "69", "culture", date(2016, 1, 1))
    registry.register_structure("Grenoble", None, "38", "mental_health", date(2018, 1, 1))
    registry.register_structure("Rennes", None, "69", "addiction", date(2021, 1, 1))
    places = [("69", 2016)] * 300 + [("38", 2019)] * 281 + [("35", 2020)] * 437 + [("75", 2021)] * 2
    for index, (departement, year) in enumerate(places):
        registry.register_peer_worker(f"P{index}", departement, ["addiction"], date(year, 3, 1), legal_basis=CONSENT)
    for index in range(2):
        registry.register_peer_worker(f"Later{index}", "69", ["violence"], date(2023, 1, 1), legal_basis=CONSENT)
    notifications = registry.recorder.select_notifications(start=1, limit=5000)
    events = [e for n in notifications if (e := to_contract(registry.mapper.to_domain_event(n), n.id)) is not None]
    directory = tmp_path_factory.mktemp("page")
    store = StatisticsStore(SqliteFile(directory / "statistics.sqlite"))
    store.apply(events, last_sequence=len(events))
    app, _, releases = released_app(store, SqliteFile(directory / "releases.sqlite"))
    with ServedApp(app) as server:
        yield server
    releases.close()
    store.close()


@pytest.fixture
def api(served):
    with httpx.Client(base_url=served.url, timeout=60) as client:
        yield client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_browser_gets_the_report_as_a_french_page(api):
    response = api.get("/reports/annual/2022", headers=HTML)
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="fr">' in html and 'name="viewport"' in html and "@media print" in html
    assert html.count("<h1") == 1 and html.count("<h2") == len(SECTIONS)
    assert HEADLINE in html
    assert response.headers["Release-Version"] == "1"
    # Programs still get JSON, by default and when they ask for it.
    assert api.get("/reports/annual/2022").json()["national"]["peer_workers"] == 1020
    assert api.get("/reports/annual/2022", headers={"Accept": "application/json"}).json()["year"] == 2022
    assert api.get("/reports/annual/2022", params={"format": "html"}).text == html


def test_a_suppressed_figure_reads_secret_statistique_with_its_rule(api):
    html = api.get("/reports/annual/2022", headers=HTML).text
    # Paris's 2 and Bretagne's 437, hidden with them, in the table of régions.
    row = re.search(r'<th scope="row">Île-de-France</th>(.*?)</tr>', html).group(1)
    assert _text(row).split()[:3] == ["secret", "statistique", "*"]
    assert "Bretagne : secret statistique" in html  # the chart's alternative text
    assert 'id="note-secret"' in html and "de 1 à 10" in _text(html)
    aura = re.search(r'<th scope="row">Auvergne-Rhône-Alpes</th>(.*?)</tr>', html).group(1)
    assert "581" in aura and "57\xa0%" in aura


def test_the_page_gives_the_demand_in_each_departement_of_auvergne_rhone_alpes(api):
    html = unescape(api.get("/reports/annual/2022", headers=HTML).text)
    caption = "Demandes d'accompagnement en Auvergne-Rhône-Alpes par département, depuis 2015"
    demand = html[html.index(caption):].split("</table>")[0]
    assert len(re.findall(r'<th scope="row">', demand)) == 12  # every département of the région
    assert '<th scope="col">2016</th>' in demand and '<th scope="col">2022</th>' in demand


def test_analysts_read_the_exact_page(api):
    html = api.get("/reports/annual/2022", params={"exact": "true"}, headers={**HTML, **bearer("analyst")}).text
    row = re.search(r'<th scope="row">Île-de-France</th>(.*?)</tr>', html).group(1)
    assert _text(row).split()[0] == "2" and "réservée aux analystes" in html


def test_every_chart_is_an_svg_with_its_alternative_text(api):
    html = api.get("/reports/annual/2022", headers=HTML).text
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert len(svgs) == CHARTS
    for svg in svgs:
        root = ElementTree.fromstring(svg)  # well-formed, or this raises
        assert root.get("role") == "img" and root.get("aria-label")
        assert root.find("{http://www.w3.org/2000/svg}title").text == root.get("aria-label")
    # The series begins with the first fact (2016 here).
    assert ("Travailleurs pairs inscrits. 2016 : 300; 2017 : 300; 2018 : 300; 2019 : 581; "
            "2020 : 1\u202f018; 2021 : 1\u202f020; 2022 : 1\u202f020\"") in html
    assert "<caption>Évolution depuis 2015</caption>" in html and 'scope="col"' in html


def test_the_chart_route_serves_the_reports_chart(api):
    response = api.get("/reports/annual/2022/chart.svg")
    assert response.headers["content-type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.text)
    assert "Auvergne-Rhône-Alpes : 581" in root.get("aria-label")
    assert "Île-de-France : secret statistique" in root.get("aria-label")


def test_the_page_of_a_release_is_rendered_once(api):
    api.get("/reports/annual/2021", headers=HTML)
    begun = time.perf_counter()
    api.get("/reports/annual/2021", headers=HTML)
    # Rendered, it takes 0.7 s here (its eight charts); kept, a few milliseconds.
    assert time.perf_counter() - begun < 0.25


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no headless browser: apt-get install chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The system's chromium: `playwright install` downloads a browser of its own.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_a_reader_sees_the_figures_and_the_charts_in_a_real_browser(served, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1024, "height": 800}, locale="fr-FR")
    page.goto(f"{served.url}/reports/annual/2022")  # what the browser asks: text/html
    assert page.locator("h1").inner_text().startswith("Rapport d'activité 2022")
    assert HEADLINE in page.locator("p.headline").inner_text()
    charts = page.locator("figure svg")
    assert charts.count() == CHARTS
    for index in range(CHARTS):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, f"chart {index} not drawn"
        assert charts.nth(index).get_attribute("aria-label")
    row = page.locator("tr", has=page.locator('th[scope="row"]', has_text="Île-de-France")).first
    assert "secret statistique" in row.inner_text()
    screenshot = tmp_path / "report-2022.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    print(f"screenshot: {screenshot}")
    # On a phone the page keeps its width and the tables scroll inside it.
    phone = browser.new_page(viewport={"width": 375, "height": 700})
    phone.goto(f"{served.url}/reports/annual/2022")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(tmp_path / "report-2022-phone.png"))


def test_the_pdf_holds_the_same_figures(api, tmp_path):
    response = api.get("/reports/annual/2022.pdf")
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (tmp_path / "report-2022.pdf").write_bytes(response.content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))
    assert re.sub(r"\s+", " ", HEADLINE.replace("\u202f", " ").replace("\xa0", " ")) in flat
    assert "secret statistique" in flat and "Note de méthode" in flat
    assert "Sommaire" not in flat and "Télécharger" not in flat  # print CSS: no navigation


def test_each_table_opens_in_french_excel_as_it_is(api):
    response = api.get("/reports/annual/2022/tables/regions.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Région", "Nom", "Travailleurs pairs", "Part des travailleurs pairs",
                       "Structures partenaires", "Travailleurs pairs employés", "Départements couverts"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["84"][2:4] == ["581", "0,5696"]
    assert by_code["11"][2] == by_code["53"][3] == "secret statistique"
    funnel = api.get("/reports/annual/2022/tables/funnel.csv").content.decode("utf-8-sig")
    assert funnel.splitlines()[1] == "Demande reçue;0"
    assert api.get("/reports/annual/2022/tables/salaries.csv").status_code == 404
    # Programs keep the plain CSV.
    assert api.get("/reports/annual/2022/tables/regions", params={"format": "csv"}).text.startswith("region,name,")


def test_every_table_at_once_as_one_workbook_linked_from_the_page(api):
    response = api.get("/reports/annual/2022.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Régions", "Départements", "Domaines", "Secteurs", "Employés par secteur", "Accompagnements",
                               "Parcours", "Formations", "Évolution", "Organisation collective"]
    regions = {row[0]: row for row in book["Régions"].iter_rows(min_row=2, values_only=True)}
    assert regions["84"][2] == 581 and regions["11"][2] == "secret statistique"
    html = api.get("/reports/annual/2022", headers=HTML).text
    for link in ("/reports/annual/2022.pdf", "/reports/annual/2022.xlsx", "/reports/annual/2022/tables/regions.csv"):
        assert f'href="{link}"' in html
        assert api.get(link).status_code == 200
