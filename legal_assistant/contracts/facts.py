"""Key facts of a contract: parties and IDs, amounts, dates, deposit, penalty, interest, term, forum."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from legal_assistant.contracts import numbers
from legal_assistant.contracts.segment import ContractStructure

_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_USCC = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_AMOUNT_CONTEXT = re.compile(
    r"总价|价款|总额|合同金额|合同价|金额为|成交|售价|房款|车款|转让款|转让价|借款金额|借款本金|借款数额|本金|出借|借给|工程造价|造价|签约合同价"
    r"|借钱|借入|借款[:：为]|向[^，。；]{0,8}借|总租金|年租金|服务费总额|开发费|许可使用费|加盟费|标的额|增资款|投资款|捐赠|赠与|总计|合计|费用总额|加工费总额|委托费用总额|转让费|一共|总共"
)
_SIGNING = re.compile(r"(?:签订|签署|签约|订立|签字)(?:日期|时间|于|之日)?")
_TERM_CONTEXT = re.compile(r"合同期限|劳动合同期限|租赁期限|租期|租赁期|借款期限|服务期限|合作期限|委托期限|有效期|期限为|期限自|期限：|期限:|合同期|聘期|聘用期|用工期限|为期|签(?=[一二两三四五六七八九十\d]+(?:年|个月))|期限(?=[一二两三四五六七八九十壹贰叁肆伍\d]+(?:年|个月))")
_ARBITRATION_BODY = re.compile(r"([\u4e00-\u9fff（）()]{2,20}?(?:仲裁委员会|仲裁院|仲裁中心))")
_COURT = re.compile(r"([\u4e00-\u9fff]{1,20}?人民法院)")


@dataclass
class ContractFacts:
    parties: list[dict] = field(default_factory=list)
    contract_amount: float | None = None
    signing_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    term_months: float | None = None  # math.inf for open-ended (无固定期限)
    deposit: dict | None = None
    penalties: list[str] = field(default_factory=list)
    interest_rate_annual: float | None = None
    lpr_one_year: float | None = None
    lpr_date: str | None = None
    lpr_note: str = ""  # set when the table may be out of date for this contract
    dispute: dict = field(default_factory=dict)
    amounts: list[float] = field(default_factory=list)

    def number(self, name: str) -> float | None:
        """Numeric facts that rules may compare against (``fact:`` in a numeric check)."""
        values = {
            "contract_amount": self.contract_amount,
            "term_months": self.term_months,
            "lpr_one_year": self.lpr_one_year / 100 if self.lpr_one_year is not None else None,
        }
        if name not in values:
            raise KeyError(name)
        return values[name]

    def as_dict(self) -> dict:
        return {
            "parties": self.parties,
            "contract_amount": self.contract_amount,
            "amounts": self.amounts[:20],
            "signing_date": self.signing_date.isoformat() if self.signing_date else None,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "term_months": ("无固定期限" if self.term_months == math.inf else round(self.term_months, 1)) if self.term_months is not None else None,
            "deposit": self.deposit,
            "penalties": self.penalties[:10],
            "interest_rate_annual": round(self.interest_rate_annual * 100, 4) if self.interest_rate_annual is not None else None,
            "lpr_one_year": self.lpr_one_year,
            "lpr_date": self.lpr_date,
            "lpr_cap_4x": round(self.lpr_one_year * 4, 2) if self.lpr_one_year is not None else None,
            "lpr_note": self.lpr_note,
            "dispute": self.dispute,
        }


def sentences(text: str) -> list[tuple[str, int]]:
    """Sentences with their offsets; a sentence ends at 。；; ！？ or a line break."""
    out: list[tuple[str, int]] = []
    start = 0
    for match in re.finditer(r"[。；;！？!?\n]", text):
        piece = text[start : match.end()]
        if piece.strip():
            offset = start + (len(piece) - len(piece.lstrip()))
            out.append((piece.strip(), offset))
        start = match.end()
    if text[start:].strip():
        piece = text[start:]
        out.append((piece.strip(), start + (len(piece) - len(piece.lstrip()))))
    return out


def _party_ids(text: str) -> list[dict]:
    from legal_assistant.identity import validate_resident_id, validate_uscc

    ids = []
    for match in _RESIDENT_ID.finditer(text):
        ids.append({"type": "居民身份证", "number": match.group(0), "valid": validate_resident_id(match.group(0)) is None})
    for match in _USCC.finditer(text):
        if _RESIDENT_ID.fullmatch(match.group(0)):
            continue
        ids.append({"type": "统一社会信用代码", "number": match.group(0), "valid": validate_uscc(match.group(0)) is None})
    return ids


def extract_facts(structure: ContractStructure, full_text: str, lpr_lookup) -> ContractFacts:
    facts = ContractFacts()
    for party in structure.parties:
        detail_text = " ".join([party.name, *party.details.values()])
        facts.parties.append(
            {
                "side": party.side,
                "role": party.role,
                "name": re.split(r"[，,；;\s]", party.name)[0] if party.name else "",
                "ids": _party_ids(detail_text),
                "details": party.details,
            }
        )
    body = "\n".join(clause.text for clause in structure.clauses) or full_text
    amounts: list[float] = []
    contract_amounts: list[float] = []
    for sentence, _ in sentences(body):
        found = numbers.money(sentence)
        amounts.extend(f.value for f in found)
        if found and _AMOUNT_CONTEXT.search(sentence) and not re.search(r"违约金|定金|押金|保证金|滞纳金|赔偿", sentence[: found[0].start]):
            contract_amounts.append(max(f.value for f in found))
    facts.amounts = amounts
    facts.contract_amount = max(contract_amounts) if contract_amounts else None

    facts.signing_date = _signing_date(structure, full_text)
    facts.start_date, facts.end_date, facts.term_months = _term(body)
    if facts.term_months is None and facts.start_date and facts.end_date:
        facts.term_months = numbers.months_between(facts.start_date, facts.end_date)
    if facts.contract_amount is None and facts.term_months:
        facts.contract_amount = _periodic_total(body, facts.term_months)
    day = (facts.signing_date or facts.start_date)
    rate, published = lpr_lookup(day.isoformat() if day else None)
    facts.lpr_one_year, facts.lpr_date = rate, published

    for sentence, _ in sentences(body):
        if "定金" in sentence and facts.deposit is None:
            found = numbers.money(sentence)
            share = [p.value for p in numbers.percents(sentence)]
            facts.deposit = {
                "amount": found[0].value if found else None,
                "ratio": share[0] if share else (found[0].value / facts.contract_amount if found and facts.contract_amount else None),
                "excerpt": sentence[:120],
            }
        if "违约金" in sentence:
            facts.penalties.append(sentence[:120])
        if facts.interest_rate_annual is None and re.search(r"利率|利息|年息|月息|日息", sentence) and not re.search(r"逾期|罚息|违约", sentence):
            rates = numbers.annual_rates(sentence)
            if rates:
                facts.interest_rate_annual = rates[0].value
    facts.dispute = _dispute(body)
    return facts


def _periodic_total(body: str, term_months: float) -> float | None:
    """A lease states its rent per month or year, not a total: 每年72000元 over two years is 144,000."""
    match = _PERIODIC_RENT.search(body)
    if not match:
        return None
    found = numbers.money(match.group(0))
    if not found:
        return None
    yearly = (match.group("period") or match.group("named")) == "年"
    per_month = found[0].value / 12 if yearly else found[0].value
    return per_month * term_months


_PERIODIC_RENT = re.compile(r"(?:租金|房租|租费)[^。；\n]{0,6}(?:每|按)(?P<period>[年月])[^。；\n，]{0,12}|(?P<named>[年月])租金[^。；\n，]{0,16}")


def _signing_date(structure: ContractStructure, full_text: str) -> date | None:
    for text in [*structure.tail, *structure.preamble, full_text]:
        for match in _SIGNING.finditer(text):
            window = text[max(0, match.start() - 20) : match.end() + 30]
            found = numbers.dates(window)
            if found:
                return found[0][0]
    tail_dates = [d for text in structure.tail for d, _, _ in numbers.dates(text)]
    return max(tail_dates) if tail_dates else None


def _term(body: str) -> tuple[date | None, date | None, float | None]:
    for sentence, _ in sentences(body):
        if not _TERM_CONTEXT.search(sentence):
            continue
        if re.search(r"无固定期限", sentence) and not re.search(r"(?:非|不是|不属于)无固定期限", sentence):
            return None, None, math.inf
        found = numbers.dates(sentence)
        start = end = None
        if len(found) >= 2 and found[1][0] > found[0][0]:
            start, end = found[0][0], found[1][0]
        match = _TERM_CONTEXT.search(sentence)
        # A term written in words (期限为三年) wins over the dates, which are often a day off.
        spans = [d for d in numbers.durations_in_days(sentence[match.start():]) if d.value >= 28]
        if spans:
            return start, end, spans[0].months
        if start and end:
            return start, end, numbers.months_between(start, end)
    return None, None, None


def _dispute(body: str) -> dict:
    result: dict = {"method": None, "body": None}
    arbitration = _ARBITRATION_BODY.search(body)
    court = None
    for sentence, _ in sentences(body):
        if re.search(r"争议|纠纷|诉讼|起诉|管辖", sentence):
            court = court or _COURT.search(sentence)
    has_arbitration = bool(re.search(r"仲裁", body))
    has_court = bool(court) or bool(re.search(r"向.{0,20}(?:法院|人民法院).{0,6}(?:起诉|提起诉讼)", body))
    if has_arbitration and has_court:
        result["method"] = "仲裁或诉讼（均有约定）"
    elif has_arbitration:
        result["method"] = "仲裁"
    elif has_court:
        result["method"] = "诉讼"
    if arbitration:
        # The match may start at the verb before the name (可以向杭州仲裁委员会): keep the name only.
        result["body"] = re.sub(r"^.*?(?:提交|提请|交由|向|由|至|到)", "", arbitration.group(1)) or arbitration.group(1)
    elif court:
        result["body"] = court.group(1)
    return result
