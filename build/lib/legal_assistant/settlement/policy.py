"""Negotiation defaults (data/policy.yaml) merged with the per-case choices of the input file."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from legal_assistant.settlement.inputs import Negotiation

POLICY_FILE = Path(__file__).parent / "data" / "policy.yaml"


@dataclass(frozen=True)
class WaiverStep:
    max_months: int
    waiver_share: Decimal


@dataclass(frozen=True)
class Policy:
    max_share_of_free_cash_flow: Decimal
    terms_months: tuple[int, ...]
    max_term_months: int
    shapes: tuple[str, ...]
    rising_last_to_first: Decimal
    down_payment_due_days: int
    reserve_months_of_expenses: Decimal
    receivables_collectible_share: Decimal
    grace_days: int
    waiver_steps: tuple[WaiverStep, ...]
    score_weights: dict[str, int]
    score_bands: tuple[tuple[int, str], ...]

    def waiver_share(self, months: int) -> Decimal:
        for step in self.waiver_steps:
            if months <= step.max_months:
                return step.waiver_share
        return Decimal("0")

    def score_band(self, score: int) -> str:
        return next(label for minimum, label in self.score_bands if score >= minimum)


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    raw = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    weights = {key: int(value) for key, value in raw["score_weights"].items()}
    if sum(weights.values()) != 100:
        raise ValueError("policy.yaml: score_weights 合计应为 100")
    return Policy(
        max_share_of_free_cash_flow=Decimal(raw["max_share_of_free_cash_flow"]),
        terms_months=tuple(int(m) for m in raw["terms_months"]),
        max_term_months=int(raw["max_term_months"]),
        shapes=tuple(raw["shapes"]),
        rising_last_to_first=Decimal(raw["rising_last_to_first"]),
        down_payment_due_days=int(raw["down_payment_due_days"]),
        reserve_months_of_expenses=Decimal(raw["reserve_months_of_expenses"]),
        receivables_collectible_share=Decimal(raw["receivables_collectible_share"]),
        grace_days=int(raw["grace_days"]),
        waiver_steps=tuple(
            WaiverStep(int(step["max_months"]), Decimal(step["waiver_share"]))
            for step in sorted(raw["delay_interest_waiver_by_term"], key=lambda s: int(s["max_months"]))
        ),
        score_weights=weights,
        score_bands=tuple(sorted(((int(b["min_score"]), b["label"]) for b in raw["score_bands"]), reverse=True)),
    )


def policy_for(negotiation: Negotiation) -> Policy:
    """The defaults with whatever the case's negotiation section overrides."""
    base = default_policy()
    overrides = {}
    if negotiation.terms_months:
        overrides["terms_months"] = tuple(sorted(set(negotiation.terms_months)))
    if negotiation.shapes:
        overrides["shapes"] = tuple(dict.fromkeys(negotiation.shapes))
    if negotiation.max_share_of_free_cash_flow is not None:
        overrides["max_share_of_free_cash_flow"] = negotiation.max_share_of_free_cash_flow
    if negotiation.grace_days is not None:
        overrides["grace_days"] = negotiation.grace_days
    return Policy(**{**base.__dict__, **overrides})
