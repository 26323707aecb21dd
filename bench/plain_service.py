"""``python -m bench.plain_service``: the baseline of the reads over HTTP.

A plain FastAPI route answering a fixed JSON body of the size asked, served as the services
are (``peerwork_common.http.serve``: uvicorn, uvloop, httptools) in a process of its own.
Like the services' reads it is a plain ``def`` route, run in the thread pool: the difference
between a read and this route is then what the read does (its dependencies, its query, its
serialisation), not how FastAPI calls it.
"""

from functools import cache

from fastapi import FastAPI, Response
from pydantic_settings import SettingsConfigDict

from peerwork_common.http.serve import serve
from peerwork_common.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BENCH_PLAIN_")


@cache
def _body(size: int) -> bytes:
    """A JSON string of exactly ``size`` bytes, made once."""
    return b'"' + b"x" * max(0, size - 2) + b'"'


app = FastAPI()


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/plain/{size}")
def plain(size: int) -> Response:
    return Response(_body(size), media_type="application/json")


if __name__ == "__main__":
    serve(app, Settings())
