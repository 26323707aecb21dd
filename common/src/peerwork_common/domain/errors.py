"""The refusals every write service's domain raises; the message says why, for a person to act on.

Plain Python on purpose: domain code imports no framework.
"""


class DomainError(Exception):
    """A command the service refuses."""


class InvalidValueError(DomainError, ValueError):
    """A value is malformed or out of its closed list."""


class NotFoundError(DomainError):
    """The command names something the service does not hold."""


class RuleBrokenError(DomainError):
    """The command contradicts what is already recorded."""


class ErasedError(DomainError):
    """The command or read names a person whose record was erased at their request."""


class DuplicateError(RuleBrokenError):
    """The command would record again what is already recorded: ``existing_id`` names the
    record already there, so that the caller can use it rather than a second one."""

    def __init__(self, message: str, existing_id: object) -> None:
        super().__init__(message)
        self.existing_id = existing_id
