"""Live class: while learners work, the open views follow without a reload.

Every few seconds the kernel's event loop asks the store for the course's newest event id (one
indexed look-up); when it moved, the views given are refreshed in place (the heat map's cells,
the at-risk list), and "last update" says when.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import ipywidgets as widgets
from tornado.ioloop import PeriodicCallback

from ...store.class_queries import latest_event_id
from .context import ViewContext

__all__ = ["POLL_SECONDS", "LiveUpdates"]

#: How often the store is asked for new events.
POLL_SECONDS = 3.0


class LiveUpdates:
    """Polls for new events and calls each of ``refreshers`` when there are some."""

    def __init__(
        self,
        context: ViewContext,
        refreshers: Sequence[Callable[[], None]],
        seconds: float = POLL_SECONDS,
    ) -> None:
        self.context = context
        self.refreshers = list(refreshers)
        self.seconds = seconds
        self.seen = self._latest()
        self.label = widgets.HTML()
        self.label.add_class("adaptive-last-update")
        self._stamp()
        self._timer: PeriodicCallback | None = None

    def _latest(self) -> int:
        with self.context.store.transaction() as session:
            return latest_event_id(session, self.context.course)

    def _stamp(self) -> None:
        self.label.value = (
            f"<small>Live: checks for new work every {self.seconds:g} s; last update "
            f"{datetime.now().strftime('%H:%M:%S')}</small>"
        )

    def poll(self) -> bool:
        """Refresh the views if events arrived since the last poll; say whether they did."""
        latest = self._latest()
        if latest == self.seen:
            return False
        self.seen = latest
        for refresh in self.refreshers:
            refresh()
        self._stamp()
        return True

    def _tick(self) -> None:
        self.poll()

    def start(self) -> None:
        """Poll on the running event loop (the kernel's) until :meth:`stop`."""
        if self._timer is None:
            self._timer = PeriodicCallback(self._tick, self.seconds * 1000)
            self._timer.start()

    def stop(self) -> None:
        """Stop polling."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
