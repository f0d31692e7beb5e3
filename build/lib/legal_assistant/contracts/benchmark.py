"""Timing the reviewer on a long generated contract (``legal-assistant bench review``)."""

from __future__ import annotations

import io
import time

CHARS_PER_PAGE = 900

_CLAUSE_BODIES = (
    "供方应于每批订单确认后十五日内将货物送至需方指定仓库，运输费用及途中风险由供方承担，需方应在收货后七日内完成数量和外观验收。",
    "货物的质量应符合国家标准及双方确认的技术规格书，质量保证期为验收合格之日起十二个月，期内出现质量问题由供方负责免费维修或更换。",
    "需方应在货物验收合格并收到合法有效的增值税专用发票之日起三十日内支付该批货款，付款方式为银行转账。",
    "任何一方违反本合同约定的，应向守约方支付违约金，违约金数额为未履行部分金额的百分之十；违约金不足以弥补损失的，违约方还应赔偿差额部分。",
    "双方对在履行本合同过程中知悉的对方商业秘密负有保密义务，保密期限至该信息依法公开之日止，合同终止后仍然有效。",
    "因不可抗力不能履行合同的，受影响一方应在不可抗力发生之日起五日内书面通知对方，并在十五日内提供有关证明，双方可协商延期履行或解除合同。",
    "本合同的变更须经双方协商一致并签订书面补充协议，补充协议与本合同具有同等法律效力。",
    "需方逾期付款的，每逾期一日按逾期金额的万分之五向供方支付违约金，但违约金总额不超过逾期金额的百分之二十。",
)
_RISKY_BODIES = (
    "定金为合同总价款的百分之三十，需方应于合同签订之日起三日内支付。",
    "供方有权根据原材料市场情况随时调整产品单价，需方应按调整后的价格付款。",
    "因本合同发生的争议，可以向杭州仲裁委员会申请仲裁，也可以向供方所在地人民法院起诉。",
)


def long_contract_text(pages: int = 30) -> str:
    lines = [
        "设备及配件采购框架合同",
        "需方（甲方）：浙江某某制造有限公司",
        "住所：杭州市余杭区某某路88号",
        "供方（乙方）：宁波某某机电有限公司",
        "住所：宁波市鄞州区某某路16号",
        "根据《中华人民共和国民法典》及相关法律法规，甲乙双方经平等协商，就设备及配件采购事宜订立本合同。",
        "第一条 合同总价款为人民币叁佰陆拾万元整（￥3,600,000.00），含13%增值税。",
    ]
    number = 2
    body_count = 0
    while sum(len(line) for line in lines) < pages * CHARS_PER_PAGE:
        body = _CLAUSE_BODIES[body_count % len(_CLAUSE_BODIES)]
        if body_count % 40 == 17:
            body = _RISKY_BODIES[(body_count // 40) % len(_RISKY_BODIES)]
        lines.append(f"第{number}条 {body}")
        lines.append(f"{number}.1 本条所称货物包括设备主机、随机配件、专用工具及技术资料，具体以附件清单为准。")
        number += 1
        body_count += 1
    lines += ["甲方（盖章）：浙江某某制造有限公司", "乙方（盖章）：宁波某某机电有限公司", "签订日期：2025年6月1日"]
    return "\n".join(lines)


def long_contract_docx(pages: int = 30) -> bytes:
    import docx

    word = docx.Document()
    for line in long_contract_text(pages).split("\n"):
        word.add_paragraph(line)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def run_benchmark(pages: int = 30) -> dict:
    from legal_assistant.contracts.engine import review_file
    from legal_assistant.contracts.rulebook import get_rulebook

    data = long_contract_docx(pages)
    get_rulebook.cache_clear()
    started = time.perf_counter()
    result = review_file(data, "甲方", filename="benchmark.docx")
    cold = time.perf_counter() - started
    started = time.perf_counter()
    result = review_file(data, "甲方", filename="benchmark.docx")
    warm = time.perf_counter() - started
    characters = sum(len(text) for text in result.paragraph_texts)
    return {
        "pages": pages,
        "characters": characters,
        "clauses": len(result.clauses),
        "findings": len(result.findings),
        "cold_seconds": round(cold, 3),
        "warm_seconds": round(warm, 3),
    }
