"""Every section of the report's page with rows in every table (the integration tests'
release has a census only): accompaniments, trainings and the collective organisation
read in French, and the method names the release and its revisions."""

from datetime import date, datetime, timezone

from peerwork_contracts import geography
from peerwork_contracts.vocabulary import InterventionDomain, Milestone, Sector
from peerwork_reporting.ports import ReleaseVersion
from peerwork_reporting.report import exports, page
from peerwork_reporting.report.annual_report import AnnualReport

# Twelve employed: eleven in addiction, and culture's one (or two) suppressed with mental health's.
_EMPLOYED_BY_SECTOR = {s.value: 0 for s in Sector} | {
    Sector.ADDICTION.value: 11, Sector.CULTURE.value: "suppressed", Sector.MENTAL_HEALTH.value: "suppressed",
}


def _report() -> AnnualReport:
    regions = [
        {"region": code, "name": region.name, "peer_workers": 40 if code == "84" else 0,
         "share_of_peer_workers": 1.0 if code == "84" else 0.0, "partner_structures": 2 if code == "84" else 0,
         "employed_peer_workers": 12 if code == "84" else 0, "departements_covered": 1 if code == "84" else 0}
        for code, region in geography.REGIONS.items()
    ]
    collective = {"networks": 2, "meetings": 5, "hours": 12.5, "peer_worker_participants": 14, "other_participants": 3}
    return AnnualReport(
        year=2022, as_of=date(2022, 12, 31), exact=False,
        national={
            "peer_workers": 40, "partner_structures": 2, "employed_peer_workers": 12,
            "peer_workers_by_domain": {d.value: 40 if d == InterventionDomain.ADDICTION else 0 for d in InterventionDomain},
            "structures_by_sector": {s.value: 1 if s in (Sector.CULTURE, Sector.ADDICTION) else 0 for s in Sector},
            "employed_by_sector": _EMPLOYED_BY_SECTOR,
            "as_of": "2022-12-31", "exact": False, "departements_covered": 1, "regions_covered": 1,
        },
        tables={
            "regions": regions,
            "departements": [{"departement": "69", "name": "Rhône", "region": "84", "peer_workers": 40,
                              "partner_structures": 2, "employed_peer_workers": "suppressed"}],
            "domains": [], "sectors": [],
            "employed_by_sector": [{"sector": s, "employed_peer_workers": n} for s, n in _EMPLOYED_BY_SECTOR.items()],
            "accompaniments": [{"year": 2022, "requests": 6, "open": 2, "hired": 3, "postponed": 1,
                                "abandoned": 0, "redirected": 0}],
            "funnel": [{"step": "request", "accompaniments": 6},
                       *({"step": m.value, "accompaniments": 3} for m in Milestone)],
            "trainings": [{"year": 2022, "kind": "peer_worker_training", "audience": "peer_workers",
                           "sessions": 3, "participants": "suppressed", "hours": 10.5}],
            "series": [{"year": 2022, "as_of": "2022-12-31", "peer_workers": 40, "partner_structures": 2,
                        "employed_peer_workers": 12, "accompaniments_opened": 6, "trainings_delivered": 3,
                        "training_participants": "suppressed"}],
            "collective": [{"year": 2022, "region": "84", "name": "Auvergne-Rhône-Alpes", **collective},
                           {"year": 2022, "region": "national", "name": "National networks", **collective},
                           {"year": 2022, "region": None, "name": "France", **collective}],
        },
    )


def _versions() -> list[ReleaseVersion]:
    at = datetime(2023, 1, 1, 0, 2, tzinfo=timezone.utc)
    return [ReleaseVersion(date(2022, 12, 31), 1, at, []),
            ReleaseVersion(date(2022, 12, 31), 2, at.replace(month=3), ["national.peer_workers", "regions.84.peer_workers"])]


def test_every_section_reads_in_french_with_rows_in_every_table():
    versions = _versions()
    html = page.render(page.Context(_report(), 10, versions[-1], versions), {})
    for words in ("Formation des travailleurs pairs", "Réseaux nationaux", "<td class=\"n\">12,5</td>",
                  "Clos : recrutement", "Travailleur pair recruté", "version 2 de la publication du 31 décembre 2022",
                  "Version 2, du 1 mars 2023 : 2 chiffres modifiés", "Version 1, du 1 janvier 2023 : première version"):
        assert words in html, words
    assert "National networks" not in html and "peer_worker_training" not in html


def test_the_tables_for_excel_say_their_terms_in_french():
    text = exports.excel_csv(_report().tables["collective"]).decode("utf-8-sig")
    assert text.splitlines()[0] == "Année;Région;Nom;Réseaux;Rencontres;Heures;Travailleurs pairs participants;Autres participants"
    assert text.splitlines()[2] == "2022;national;Réseaux nationaux;2;5;12,5;14;3"
    assert text.splitlines()[3] == "2022;;France;2;5;12,5;14;3"


def test_the_employed_by_sector_read_as_a_table_with_its_secrets_and_its_method():
    versions = _versions()
    html = page.render(page.Context(_report(), 10, versions[-1], versions), {})
    section = html[html.index('id="secteurs"'):html.index('id="accompagnements"')]
    caption = "Travailleurs pairs employés par secteur de la structure qui les emploie (France)"
    employed = section[section.index(caption):]
    employed = employed[:employed.index("</table>")]
    assert '<th scope="row">Addictions</th><td class="n">11</td>' in employed
    assert '<th scope="row">Culture</th><td class="n secret">secret statistique' in employed
    assert employed.count("secret statistique<") == 2, employed
    assert "Travailleurs pairs employés par secteur de la structure" in section.split(caption)[0]  # its chart
    assert "compte dans les deux" in section and "Emploi par secteur" in html
    text = exports.excel_csv(_report().tables["employed_by_sector"]).decode("utf-8-sig").splitlines()
    assert text[0] == "Secteur;Travailleurs pairs employés"
    assert "Culture;secret statistique" in text and "Addictions;11" in text
