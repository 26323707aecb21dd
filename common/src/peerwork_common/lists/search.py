"""Searching text as people type it: folded (no accents, no case, one space between words),
and, for a name that must not be kept in clear, through a keyed blind index."""

import hashlib
import hmac
import unicodedata

from peerwork_common.domain.values import check_name


def fold(text: str) -> str:
    """``text`` without accents, case or runs of blanks: "Élise  MARTIN" is "elise martin"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(bare.casefold().split())


def search_term(text: str, what: str) -> str:
    """The folded ``text`` of a search; InvalidValueError (a 422) for what no name holds
    (control characters, NUL among them, which PostgreSQL would refuse)."""
    return fold(check_name(text, what))


def like_pattern(term: str) -> str:
    """A LIKE pattern (with ``ESCAPE '\\'``) matching ``term`` anywhere."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def blind_index(key: bytes, text: str) -> str:
    """HMAC-SHA256 of the folded ``text`` under ``key``: equal names give equal indexes, and
    the index says nothing of the name to whoever lacks the key (a name's few likely values
    could be tried against an unkeyed hash)."""
    return hmac.new(key, fold(text).encode(), hashlib.sha256).hexdigest()
