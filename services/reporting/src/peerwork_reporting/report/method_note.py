"""The report's note on method: its sources, its dates, the statistical secret, and which
release and version the page shows."""

from datetime import datetime

from . import french
from .layout import Content, Context, Section


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


SECTION = Section("methode", "Note de méthode", _method)
