"""Drafts generated from the templates pass the project's own contract review with no high-severity finding,
for every template, from either side, with the optional clauses switched both ways."""

import copy
import io

import pytest
from docx import Document

from legal_assistant.contracts.engine import review_text
from legal_assistant.drafting.render import render_docx
from legal_assistant.drafting.schema import list_templates, validate

VARIANTS = {
    "as_in_example": {},
    "arbitration_without_options": {"dispute_resolution": "arbitration", "arbitration_commission": "北京仲裁委员会",
                                     "deposit_enabled": False, "guarantee_enabled": False, "noncompete_enabled": False,
                                     "paid": False},
}


def drafted_text(template, changes: dict) -> str:
    data = copy.deepcopy(template.example())
    data.update({key: value for key, value in changes.items() if key in template.fields})
    result = validate(template, data)
    assert result.ok, result.errors
    docx = render_docx(template, {**result.context, "contract_id": "HT-REVIEW"})
    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.id)
def test_generated_draft_has_no_high_severity_review_finding(template, variant):
    text = drafted_text(template, VARIANTS[variant])
    for stance in ("甲方", "乙方"):
        high = [f"{f.rule_id} {f.title}: {f.excerpt}" for f in review_text(text, stance).findings if f.severity == "high"]
        assert high == [], f"{template.title}（{stance}）"
