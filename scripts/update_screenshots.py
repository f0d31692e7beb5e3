"""Copy the main pages' screenshots from the last end-to-end run into docs/screenshots/, small.

Run after `pytest tests/test_e2e_browser.py`: the browser test saves full-size pictures in
test-artifacts/e2e/; the README shows these shrunk copies (cropped to the top of long pages,
1000 px wide, 64-colour palette) so the repository stays light.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "test-artifacts" / "e2e"
TARGET = ROOT / "docs" / "screenshots"
PICTURES = {
    "01_home": "home",
    "03_qa": "qa",
    "04_contract_review": "contract_review",
    "05_batch_review": "batch_review",
    "06_selfcheck": "selfcheck",
    "07_esign": "esign",
    "08_evidence_verify": "evidence_verify",
    "09_settlement": "settlement",
    "11_review_queue": "review_queue",
}
WIDTH = 1000
MAX_HEIGHT = 1500


def shrink(source: Path, target: Path) -> int:
    with Image.open(source) as picture:
        picture = picture.convert("RGB")
        picture = picture.crop((0, 0, picture.width, min(picture.height, int(MAX_HEIGHT * picture.width / WIDTH))))
        picture = picture.resize((WIDTH, round(picture.height * WIDTH / picture.width)), Image.LANCZOS)
        picture.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target.stat().st_size


def main() -> int:
    missing = [name for name in PICTURES if not (SOURCE / f"{name}.png").exists()]
    if missing:
        print(f"缺少截图（请先运行 pytest tests/test_e2e_browser.py）：{', '.join(missing)}", file=sys.stderr)
        return 2
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, target_name in PICTURES.items():
        size = shrink(SOURCE / f"{name}.png", TARGET / f"{target_name}.png")
        print(f"docs/screenshots/{target_name}.png  {size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
