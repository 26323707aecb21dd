"""The report's sections on the census: the key figures, the growth since the platform's first
year, Auvergne-Rhône-Alpes by département (with its structures' demand), the domains of
intervention and the sectors."""

from collections.abc import Sequence
from datetime import date

from peerwork_contracts import geography

from . import charts, french
from .annual_report import AnnualReport
from .layout import Cell, Content, Context, Section, Table, cell, table

AURA = "84"
FIRST_YEAR = 2015  # the growth is shown since the platform's first year


def _region(report: AnnualReport, code: str) -> dict:
    return next(r for r in report.tables["regions"] if r["region"] == code)


def headline(context: Context) -> str:
    report, national = context.report, context.report.national
    aura = _region(report, AURA)
    return (
        f"Au {french.day(report.as_of)}, la plateforme comptait "
        f"{french.count(national.peer_workers, 'travailleur pair', 'travailleurs pairs')}, répartis dans "
        f"{french.count(national.partner_structures, 'structure partenaire', 'structures partenaires')} et "
        f"{french.count(national.departements_covered, 'département', 'départements')}, soit "
        f"{french.percent(aura['share_of_peer_workers'])} pour la région Auvergne-Rhône-Alpes."
    )


def present(regions: Sequence[dict]) -> list[dict]:
    """The régions with peer workers or partner structures."""
    return [r for r in regions if r["peer_workers"] or r["partner_structures"]]


def regions_chart(as_of: date, regions: Sequence[dict]) -> str:
    return charts.bars(
        f"Travailleurs pairs par région au {french.day(as_of)}", "Travailleurs pairs",
        [charts.Bar(r["name"], r["peer_workers"]) for r in present(regions)],
    )


def _key_figures(context: Context) -> Content:
    regions = present(context.report.tables["regions"])
    chart = regions_chart(context.report.as_of, regions)
    columns = ["name", "peer_workers", "share_of_peer_workers", "partner_structures",
               "employed_peer_workers", "departements_covered"]
    return Content(
        [headline(context)],
        [chart],
        [table("Travailleurs pairs et structures partenaires par région", columns, regions,
               shares=["share_of_peer_workers"])],
    )


def _growth(context: Context) -> Content:
    years = [y for y in context.report.tables["series"] if y["year"] >= FIRST_YEAR]
    def line(title: str, key: str) -> str:
        return charts.years(title, french.label(key), [charts.Bar(str(y["year"]), y[key]) for y in years])
    columns = ["year", "peer_workers", "partner_structures", "accompaniments_opened",
               "trainings_delivered", "training_participants"]
    return Content(
        [f"Chaque année au 31 décembre depuis {FIRST_YEAR} (l'année en cours : à la date de la publication)."],
        [line("Travailleurs pairs inscrits", "peer_workers"),
         line("Structures partenaires", "partner_structures"),
         line("Demandes d'accompagnement reçues dans l'année", "accompaniments_opened")],
        [table(f"Évolution depuis {FIRST_YEAR}", columns, years)],
    )


def _aura(context: Context) -> Content:
    rows = [d for d in context.report.tables["departements"] if d["region"] == AURA]
    aura = _region(context.report, AURA)
    total = {"name": "Total Auvergne-Rhône-Alpes", **aura}
    columns = ["name", "peer_workers", "partner_structures"]
    return Content(
        ["Les départements qui comptent des travailleurs pairs ou des structures partenaires ; "
         "l'emploi n'est publié que par région. Puis la demande des structures, département par "
         "département : les accompagnements demandés chaque année."],
        [],
        [table("Auvergne-Rhône-Alpes par département", columns, [*rows, total]), *_demand(context)],
    )


def _demand(context: Context) -> list[Table]:
    if not context.demand:
        return []
    years = sorted({y["year"] for series in context.demand.values() for y in series if y["year"] >= FIRST_YEAR})
    rows = []
    for code, series in context.demand.items():
        opened = {y["year"]: y["accompaniments_opened"] for y in series}
        rows.append([Cell(geography.DEPARTEMENTS[code].name), *(cell(opened.get(year, 0)) for year in years)])
    return [Table(f"Demandes d'accompagnement en Auvergne-Rhône-Alpes par département, depuis {FIRST_YEAR}",
                  ["Département", *(str(year) for year in years)], rows)]


def _domains(context: Context) -> Content:
    national = context.report.national
    rows = [{"domain": d, "peer_workers": n} for d, n in national.peer_workers_by_domain.items()]
    return Content(
        ["Un travailleur pair peut intervenir dans plusieurs domaines. Publié au niveau national seulement."],
        [charts.bars("Travailleurs pairs par domaine d'intervention", "Travailleurs pairs",
                     [charts.Bar(french.label(r["domain"]), r["peer_workers"]) for r in rows])],
        [table("Travailleurs pairs par domaine d'intervention (France)", ["domain", "peer_workers"], rows)],
    )


def _sectors(context: Context) -> Content:
    national = context.report.national
    rows = [{"sector": s, "partner_structures": n} for s, n in national.structures_by_sector.items()]
    sectors = list(national.structures_by_sector)
    by_region = [r for r in context.report.tables["sectors"] if any(r[s] for s in sectors)]
    employed = context.report.tables["employed_by_sector"]
    return Content(
        ["Les travailleurs pairs employés au 31 décembre sont comptés dans le secteur de chaque structure qui "
         "les emploie : employé par deux structures de secteurs différents, un travailleur pair compte dans les "
         "deux, et la somme des secteurs peut dépasser le nombre de travailleurs pairs employés. "
         "Publié au niveau national seulement."],
        [charts.bars("Structures partenaires par secteur", "Structures partenaires",
                     [charts.Bar(french.label(r["sector"]), r["partner_structures"]) for r in rows]),
         charts.bars("Travailleurs pairs employés par secteur de la structure", "Travailleurs pairs employés",
                     [charts.Bar(french.label(r["sector"]), r["employed_peer_workers"]) for r in employed])],
        [table("Structures partenaires par secteur (France)", ["sector", "partner_structures"], rows),
         table("Structures partenaires par secteur et par région", ["name", *sectors], by_region),
         table("Travailleurs pairs employés par secteur de la structure qui les emploie (France)",
               ["sector", "employed_peer_workers"], employed)],
    )


SECTIONS = [
    Section("chiffres-cles", "Chiffres clés", _key_figures),
    Section("evolution", "Évolution depuis 2015", _growth),
    Section("auvergne-rhone-alpes", "Auvergne-Rhône-Alpes par département", _aura),
    Section("domaines", "Domaines d'intervention", _domains),
    Section("secteurs", "Structures par secteur", _sectors),
]
