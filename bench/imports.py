"""Stage 4: a spreadsheet imported, from the upload until reporting counts every row."""

import asyncio
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import aiohttp

from .commands import ADMIN_AUTHORIZATION, WAIT_AFTER_SENDING, client, national_count
from .pipeline import start_services


@dataclass
class ImportRate:
    rows: int
    answered_rate: float  # rows/s until the report came back (every row stored)
    rate: float | None  # rows/s until the statistics showed them all; None: never did
    counted: int


def census(rows: int) -> bytes:
    """Peer workers as a French spreadsheet exports them: Windows-1252, ';'."""
    lines = ["type;référence;nom;département;domaines;date;base légale;date du consentement;recueil du consentement"]
    lines += [
        f"travailleur pair;B-{n};Pair {n};38;mental_health;04/01/2021;consentement;04/01/2021;formulaire signé"
        for n in range(rows)
    ]
    return "\r\n".join(lines).encode("cp1252")


async def import_rate(workdir: Path, nats_url: str, rows: int) -> ImportRate:
    services, registry_url, reporting_url = start_services(workdir, nats_url, "import")
    try:
        async with client() as session:
            base = await national_count(session, reporting_url)
            form = aiohttp.FormData()
            form.add_field("file", census(rows), filename="census.csv")
            started = perf_counter()
            async with session.post(
                f"{registry_url}/imports",
                data=form,
                headers=ADMIN_AUTHORIZATION,
                timeout=aiohttp.ClientTimeout(total=300),
            ) as response:
                report = await response.json()
                if response.status != 200 or report["refused"]:
                    raise RuntimeError(f"the import answered {response.status}: {report}")
            answered = perf_counter() - started
            deadline = perf_counter() + WAIT_AFTER_SENDING
            while (count := await national_count(session, reporting_url)) < base + rows:
                if perf_counter() > deadline:
                    return ImportRate(rows, rows / answered, None, count - base)
                await asyncio.sleep(0.002)
            return ImportRate(rows, rows / answered, rows / (perf_counter() - started), rows)
    finally:
        for service in reversed(services):
            service.stop()
