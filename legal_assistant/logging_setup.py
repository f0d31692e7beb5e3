"""The application's one logging setup: every entry point (CLI, Streamlit) calls ``configure_logging``."""

from __future__ import annotations

import logging
import sys

from legal_assistant.privacy import PIIMaskingFilter

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of each record, not at set-up time, so a
    handler installed during one CLI invocation (or test) never writes to a closed stream later."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(level: int | str = logging.INFO) -> logging.Handler:
    """Send logs to stderr through the personal-data mask; safe to call more than once.

    Returns the handler so callers (and tests) can see it carries the :class:`PIIMaskingFilter`.
    """
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        if getattr(handler, "_legal_assistant_handler", False):
            return handler
    handler = _CurrentStderrHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(PIIMaskingFilter())
    handler._legal_assistant_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    # Handlers installed by libraries or by Streamlit before us must not leak unmasked data either.
    for other in root.handlers:
        if not any(isinstance(f, PIIMaskingFilter) for f in other.filters):
            other.addFilter(PIIMaskingFilter())
    return handler
