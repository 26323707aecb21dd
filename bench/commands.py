"""What the pipeline stage sends and reads over HTTP."""

import aiohttp

WAIT_AFTER_SENDING = 60.0  # s to wait for the statistics once every command got its 201


def client(connections: int = 32) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connections),
        timeout=aiohttp.ClientTimeout(total=30),
    )


def body(index: int) -> dict[str, object]:
    return {"display_name": f"Bench {index}", "departement": "38", "domains": ["mental_health"]}


async def register(session: aiohttp.ClientSession, registry_url: str, index: int) -> None:
    async with session.post(f"{registry_url}/peer-workers", json=body(index)) as response:
        if response.status != 201:
            raise RuntimeError(f"registration {index} answered {response.status}: {await response.text()}")
        await response.read()


STAFF_TOKEN = "bench-staff-token"  # counts are watched from one: exact figures


async def national_count(session: aiohttp.ClientSession, reporting_url: str) -> int:
    async with session.get(
        f"{reporting_url}/stats/national",
        params={"exact": "true"},
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
    ) as response:
        response.raise_for_status()
        return (await response.json())["peer_workers"]
