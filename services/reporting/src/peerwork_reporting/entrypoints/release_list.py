"""The list of releases: what the public may read, and what each revision changed."""

from datetime import date, datetime

from fastapi import Request
from pydantic import BaseModel, Field

from .rate_limit import public_router

router = public_router("/stats", ["statistics"])


class VersionEntry(BaseModel):
    version: int
    published_at: datetime
    moved: list[str] = Field(
        description="The figures a later record changed from the version before (e.g. "
        "national.peer_workers, regions.84.peer_workers); empty for the first version"
    )


class ReleaseEntry(BaseModel):
    day: date = Field(description="The reference date: figures as they stood at its end")
    versions: list[VersionEntry] = Field(description="Oldest first; the latest is served by default")


class ReleaseList(BaseModel):
    releases: list[ReleaseEntry] = Field(description="Oldest first")


@router.get("/releases")
def releases(request: Request) -> ReleaseList:
    """The releases: reference dates the public reads (as_of), each with its versions."""
    versions = request.app.state.releases.versions()
    return ReleaseList(releases=[
        ReleaseEntry(day=day, versions=[
            VersionEntry(version=v.version, published_at=v.published_at, moved=v.moved) for v in made
        ])
        for day, made in sorted(versions.items())
    ])
