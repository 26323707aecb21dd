"""What every correction of this service's records gives: the reason for it."""

from peerwork_common.domain.errors import InvalidValueError


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidValueError("say why: a correction gives the reason for it, which stays in this service")
    return reason
