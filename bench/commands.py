"""What the pipeline stage sends and reads over HTTP."""

import httpx

WAIT_AFTER_SENDING = 60.0  # s to wait for the statistics once every command got its 201


def body(index: int) -> dict[str, object]:
    return {"display_name": f"Bench {index}", "departement": "38", "domains": ["mental_health"]}


async def register(client: httpx.AsyncClient, registry_url: str, index: int) -> None:
    response = await client.post(f"{registry_url}/peer-workers", json=body(index))
    if response.status_code != 201:
        raise RuntimeError(f"registration {index} answered {response.status_code}: {response.text}")


async def national_count(client: httpx.AsyncClient, reporting_url: str) -> int:
    response = await client.get(f"{reporting_url}/stats/national")
    response.raise_for_status()
    return response.json()["peer_workers"]
