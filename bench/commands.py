"""What the pipeline stage sends and reads over HTTP."""

import aiohttp

from peerwork_common.security.auth import ADMIN, ANALYST, STAFF
from peerwork_common.security.tokens import issue

# The services the bench starts verify tokens with this secret; its token is staff's (it
# registers) and an analyst's (it watches the counts from one: exact figures).
AUTH_SECRET = "bench-secret-" * 3
TOKEN = issue(AUTH_SECRET, "bench", [STAFF, ANALYST], hours=24)
AUTHORIZATION = {"Authorization": f"Bearer {TOKEN}"}

WAIT_AFTER_SENDING = 60.0  # s to wait for the statistics once every command got its 201


def client(connections: int = 32) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connections),
        headers=AUTHORIZATION,
        timeout=aiohttp.ClientTimeout(total=30),
    )


# A basis other than consent: the bench's people are no one's.
LEGAL_BASIS = {"basis": "archiving_research_or_statistics"}


def body(index: int) -> dict[str, object]:
    return {"legal_basis": LEGAL_BASIS, "display_name": f"Bench {index}", "departement": "38", "domains": ["mental_health"]}


async def register(session: aiohttp.ClientSession, registry_url: str, index: int) -> None:
    async with session.post(f"{registry_url}/peer-workers", json=body(index)) as response:
        if response.status != 201:
            raise RuntimeError(f"registration {index} answered {response.status}: {await response.text()}")
        await response.read()


async def national_count(session: aiohttp.ClientSession, reporting_url: str) -> int:
    async with session.get(
        f"{reporting_url}/stats/national",
        params={"exact": "true"},
    ) as response:
        response.raise_for_status()
        return (await response.json())["peer_workers"]

# An admin's token, for the import stage (imports are for admins).
ADMIN_AUTHORIZATION = {"Authorization": f"Bearer {issue(AUTH_SECRET, 'bench admin', [ADMIN], hours=24)}"}
