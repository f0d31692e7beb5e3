"""The one error type of the settlement feature: its message is zh-CN and meant for the user."""

from __future__ import annotations


class SettlementError(ValueError):
    """Bad input or an impossible request; ``str(error)`` is shown to the judge's assistant as is."""
