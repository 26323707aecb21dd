class DomainError(Exception):
    """A command the registry refuses; the message says why, for a person to act on."""


class InvalidValueError(DomainError, ValueError):
    """A value is malformed or out of its closed list."""


class NotFoundError(DomainError):
    """The command names something the registry does not hold."""


class RuleBrokenError(DomainError):
    """The command contradicts what is already recorded."""
