"""``legal-assistant`` command line: thin commands over the library, one sub-module per concept."""

from __future__ import annotations

import typer

app = typer.Typer(help="最嘉法护 企业法律风险助手", no_args_is_help=True, add_completion=False)

# Feature command groups are registered below, one line each.
from legal_assistant.corpus.cli import corpus_app  # noqa: E402
from legal_assistant.retrieval import cli as retrieval_cli  # noqa: E402

app.add_typer(corpus_app, name="corpus")
app.command("ingest")(retrieval_cli.ingest)
app.command("search")(retrieval_cli.search)
app.add_typer(retrieval_cli.eval_app, name="eval")
app.add_typer(retrieval_cli.train_app, name="train")
from legal_assistant.store.cli import register_core_commands  # noqa: E402

register_core_commands(app)  # users / backup / restore / audit, and the global --user (LEGAL_CLI_USER)
from legal_assistant.settlement.cli import register_settlement_commands  # noqa: E402

register_settlement_commands(app)  # settle, settle-case
from legal_assistant.signing.cli import register_esign_commands  # noqa: E402

register_esign_commands(app)  # draft, sign, verify, ledger, evidence (桐e签)
from legal_assistant.answer import cli as answer_cli  # noqa: E402

app.command("ask")(answer_cli.ask)  # 法律咨询
from legal_assistant.contracts.cli import register_contract_commands  # noqa: E402

register_contract_commands(app)  # review, eval contracts, bench review (合同体检)
from legal_assistant.risks.cli import risks_app, selfcheck as _selfcheck  # noqa: E402

app.add_typer(risks_app, name="risks")  # 风险知识库
app.command("selfcheck")(_selfcheck)  # 企业风险智治
