"""The store's SQL, written for SQLite, as PostgreSQL takes it.

The projections and reads hold one set of SQL with SQLite's placeholders (``?`` and
``:name``) and only what both databases understand; what is left to translate is here.
"""

import re
from functools import lru_cache
from typing import Any

import psycopg

# Quoted text and comments are copied as they are; ``::`` is a cast, not a parameter.
_TOKEN = re.compile(r"'[^']*'|--[^\n]*|::|\?|:(\w+)|%")


@lru_cache(maxsize=256)
def pyformat(query: str) -> str:
    """``query`` with psycopg's placeholders (``%s``, ``%(name)s``) and ``%`` escaped."""

    def replace(token: re.Match[str]) -> str:
        if token[0] == "?":
            return "%s"
        if token[1]:
            return f"%({token[1]})s"
        return token[0].replace("%", "%%")  # psycopg reads every % as a placeholder

    return _TOKEN.sub(replace, query)


class SqliteStyleCursor(psycopg.Cursor[Any]):
    """A cursor that takes SQLite's placeholders, as the projections and reads write them."""

    def execute(self, query: Any, params: Any = None, **options: Any) -> "SqliteStyleCursor":
        if params is not None and isinstance(query, str):
            query = pyformat(query)  # without parameters, psycopg sends the text as it is
        return super().execute(query, params, **options)

    def executemany(self, query: Any, params_seq: Any, **options: Any) -> None:
        query = pyformat(query) if isinstance(query, str) else query
        super().executemany(query, params_seq, **options)
