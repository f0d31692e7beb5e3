"""``legal-assistant`` command line: thin commands over the library, one sub-module per concept."""

from __future__ import annotations

import typer

app = typer.Typer(help="最嘉法护 企业法律风险助手", no_args_is_help=True, add_completion=False)

# Feature command groups are registered below, one line each.
