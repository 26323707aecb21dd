"""Base of the write services' eventsourcing applications."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from .transcodings import DateAsISO


class WriteApplication(Application[UUID]):
    """An application whose saves wake its relay, and whose events may carry dates."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._saved_listeners: list[Callable[[], None]] = []

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def on_saved(self, listener: Callable[[], None]) -> None:
        """Calls ``listener`` after each save, from the saving thread."""
        self._saved_listeners.append(listener)

    def _notify(self, recordings: list[Any]) -> None:
        for listener in self._saved_listeners:
            listener()
