"""docs/images/case-board.png: the case board of an office made from the examples, as the terminal shows it.

Run: .venv/bin/python tools/board_image.py (uses the IPAex Gothic font installed by scripts/setup.sh).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "2026-101-wang": "gijinkoku-single.yaml",
    "2026-102-nguyen": "gijinkoku-family.yaml",
    "2026-105-mueller": "hsp-70-holder.yaml",
    "2026-107-santos": "spouse-of-japanese.yaml",
    "2026-108-silva": "teijusha.yaml",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for case_id, example in CASES.items():
            text = re.sub(
                r"^case_id: .*$", f"case_id: {case_id}", (ROOT / "examples" / example).read_text("utf-8"), flags=re.M
            )
            folder = Path(tmp) / "cases" / case_id
            folder.mkdir(parents=True)
            (folder / f"{case_id}-profile.yaml").write_text(text, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in ("DOCGEN_LANG", "LANG", "LC_ALL")}
        out = subprocess.run(
            [sys.executable, "-m", "docgen", "cases"], capture_output=True, text=True, cwd=tmp, env=env, check=True
        ).stdout
    font_path = subprocess.run(["fc-match", "--format=%{file}", "IPAexGothic"], capture_output=True, text=True).stdout
    font = ImageFont.truetype(font_path, 15)
    lines = out.rstrip().splitlines()
    width = int(max(font.getlength(x) for x in lines)) + 32
    image = Image.new("RGB", (width, 22 * len(lines) + 24), "#1e1e1e")
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((16, 12 + 22 * n), line, font=font, fill="#e6e6e6")
    target = ROOT / "docs" / "images" / "case-board.png"
    image.save(target)
    print(f"written: {target}")


if __name__ == "__main__":
    main()
