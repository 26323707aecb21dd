"""The report's sections on the year's activity: the structures' accompaniments, the
training sessions and the peers' collective organisation."""

from . import charts, french
from .layout import Content, Context, Section, table


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


SECTIONS = [
    Section("accompagnements", "Accompagnements des structures", _accompaniments),
    Section("formations", "Formations", _trainings),
    Section("organisation-collective", "Organisation collective des pairs", _collective),
]
