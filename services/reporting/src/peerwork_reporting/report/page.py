"""The annual report as a funder reads it: a French web page made of sections, each a
title, a few sentences, its charts and its tables, from the figures a release published.
A section is one entry of ``SECTIONS``. The same page is printed to PDF."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from peerwork_contracts import geography

from ..disclosure.suppression import SUPPRESSED
from ..ports import ReleaseVersion
from . import charts, french
from .annual_report import AnnualReport

AURA = "84"
FIRST_YEAR = 2015  # the growth is shown since the platform's first year


@dataclass(frozen=True)
class Cell:
    text: str
    secret: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Content:
    paragraphs: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # SVG, each with its alternative text
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    report: AnnualReport
    threshold: int
    release: ReleaseVersion | None  # None: exact figures, or protected ones of a day not released
    revisions: Sequence[ReleaseVersion]
    # Each Auvergne-Rhône-Alpes département's series (its code: its years), as released.
    demand: dict[str, list[dict]] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    content: Callable[[Context], Content]


def cell(value: Any, share: bool = False) -> Cell:
    if value == SUPPRESSED:
        return Cell(french.SECRET, secret=True, numeric=True)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Cell(french.label(str(value)) if value is not None else "–")
    return Cell(french.percent(value) if share else french.number(value), numeric=True)


def table(caption: str, columns: Sequence[str], rows: Sequence[dict], shares: Sequence[str] = ()) -> Table:
    return Table(
        caption,
        [french.label(c) for c in columns],
        [[Cell(str(row[c])) if c == "year" else cell(row[c], c in shares) for c in columns] for row in rows],
    )


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


def _accompaniments(context: Context) -> Content:
    funnel = context.report.tables["funnel"]
    outcomes = ["year", "requests", "open", "hired", "postponed", "abandoned", "redirected"]
    return Content(
        ["Les accompagnements demandés jusqu'à la fin de l'année, puis ceux qui ont atteint chaque étape."],
        [charts.bars("Parcours des accompagnements", "Accompagnements",
                     [charts.Bar(french.label(s["step"]), s["accompaniments"]) for s in funnel], ordered=True)],
        [table("Accompagnements par étape atteinte", ["step", "accompaniments"], funnel),
         table("Issue des accompagnements par année de la demande", outcomes,
               context.report.tables["accompaniments"])],
    )


def _trainings(context: Context) -> Content:
    year = context.report.year
    rows = [r for r in context.report.tables["trainings"] if r["year"] == year]
    said = [] if rows else [f"Aucune session de formation n'a été délivrée en {year}."]
    return Content(
        [*said, "Les sessions comptent l'année de leur dernier jour ; les années précédentes sont "
                "dans le tableau téléchargeable."],
        [],
        [table(f"Sessions de formation délivrées en {year}, par type et par public",
               ["kind", "audience", "sessions", "participants", "hours"], rows)],
    )


def _collective(context: Context) -> Content:
    year = context.report.year
    rows = [r for r in context.report.tables["collective"] if r["year"] == year]
    said = [] if rows else [f"Aucune rencontre collective n'a été enregistrée en {year}."]
    return Content(
        [*said, "Les réseaux et groupes de pairs actifs au 31 décembre, leurs rencontres de l'année "
                "et qui y a pris part (chaque travailleur pair compté une fois par rencontre)."],
        [],
        [table(f"Organisation collective des pairs en {year}, par région",
               ["name", "networks", "meetings", "hours", "peer_worker_participants", "other_participants"], rows)],
    )


def _method(context: Context) -> Content:
    report = context.report
    paragraphs = [
        "Sources : le registre de la plateforme (travailleurs pairs, structures partenaires et emplois), "
        "ses accompagnements, ses formations et l'organisation collective des pairs.",
        f"Dates : chaque fait compte à sa date d'effet (inscription, embauche, fin de contrat, demande, "
        f"session) ; les chiffres sont ceux du {french.day(report.as_of)}. Un fait de l'année enregistré "
        "après la publication la révise : une nouvelle version est publiée, les précédentes restent lisibles.",
        "Emploi par secteur : un travailleur pair employé ce jour-là (un emploi en cours) compte une fois dans "
        "chaque secteur des structures qui l'emploient, là où il réside ; le secteur d'une structure corrigé "
        "compte depuis son inscription, comme s'il avait toujours été le bon.",
        f"Secret statistique : aucun effectif de personnes de 1 à {context.threshold} n'est publié, ni ce qui "
        "permettrait de le retrouver par différence (d'autres effectifs sont alors masqués avec lui) ; "
        "ils sont notés « secret statistique ». Les effectifs de structures ne sont pas masqués.",
    ]
    if context.release is None:
        paragraphs.append("Cette page montre les chiffres exacts ou protégés d'un jour sans publication : "
                          "elle est réservée aux analystes.")
    else:
        paragraphs.append(
            f"Publication : cette page montre la version {context.release.version} de la publication du "
            f"{french.day(context.release.day)}, faite le {_moment(context.release.published_at)}."
        )
        for revision in context.revisions:
            moved = (f"{french.number(len(revision.moved))} chiffres modifiés" if revision.moved
                     else "première version" if revision.version == 1 else "aucun chiffre modifié")
            paragraphs.append(f"Version {revision.version}, du {_moment(revision.published_at)} : {moved}.")
    return Content(paragraphs)


def _moment(at: datetime) -> str:
    return french.day(at.date())


SECTIONS = [
    Section("chiffres-cles", "Chiffres clés", _key_figures),
    Section("evolution", "Évolution depuis 2015", _growth),
    Section("auvergne-rhone-alpes", "Auvergne-Rhône-Alpes par département", _aura),
    Section("domaines", "Domaines d'intervention", _domains),
    Section("secteurs", "Structures par secteur", _sectors),
    Section("accompagnements", "Accompagnements des structures", _accompaniments),
    Section("formations", "Formations", _trainings),
    Section("organisation-collective", "Organisation collective des pairs", _collective),
    Section("methode", "Note de méthode", _method),
]

_TEMPLATES = Environment(
    loader=PackageLoader("peerwork_reporting.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(context: Context, links: dict[str, str]) -> str:
    """The page; ``links``: the downloads (label → URL)."""
    sections = [(s, s.content(context)) for s in SECTIONS]
    return _TEMPLATES.get_template("annual_report.html").render(
        report=context.report, threshold=context.threshold, sections=sections, links=links,
        secret=french.SECRET,
    )
