"""Render the README's classroom pictures into docs/ (run: python scripts/classroom_screens.py).

A class of twelve plays the shipped pack ch1-scale (game/core/class_sim.py);
one student then claims a faster win than his replay gives, and another hands
in a classmate's replay as her own. `fruitnet report` makes the chart
(docs/class-report-chart.png) and the HTML page; the page is photographed with
a headless Chromium when one is installed (Debian: chromium-headless-shell),
as docs/class-report-html.png. Without one, only the chart is made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from game.core.class_sim import simulate_class  # noqa: E402
from game.core.levels import load_pack  # noqa: E402
from game.resources import levels_dir  # noqa: E402
from game.tools.report_cmd import run_report  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs"
NAMES = ["Amira", "Ben", "Chloé", "Dmitri", "Esther", "Finn", "Grace", "Hugo", "Ines", "Jonas",
         "Kofi", "Zoë"]


def tamper(handins: Path) -> None:
    """Ben claims 15 fewer steps on his first attempt; Zoë hands in Amira's first replay."""
    ben = handins / "student-02.json"
    document = json.loads(ben.read_text(encoding="utf-8"))
    document["attempts"][0]["steps"] -= 15
    ben.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    amira = json.loads((handins / "student-01.json").read_text(encoding="utf-8"))
    zoe_file = handins / "student-12.json"
    zoe = json.loads(zoe_file.read_text(encoding="utf-8"))
    stolen = dict(amira["attempts"][0], finished_at="2026-12-03T11:59:00Z")
    zoe["attempts"].append(stolen)
    zoe_file.write_text(json.dumps(zoe, ensure_ascii=False), encoding="utf-8")


def photograph(page: Path, out: Path) -> bool:
    """A screenshot of the page by a headless Chromium; False if none is installed."""
    browser = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if browser is None:
        return False
    subprocess.run([browser, "--headless", "--no-sandbox", "--hide-scrollbars",
                    "--window-size=1400,1500", f"--screenshot={out}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return True


def main() -> None:
    pack_folder = levels_dir() / "ch1-scale"
    with tempfile.TemporaryDirectory(prefix="fruitnet-class-") as temp:
        root = Path(temp)
        simulate_class(load_pack(pack_folder), root, len(NAMES), seed=3, names=NAMES)
        tamper(root / "handins")
        (DOCS / "class-report-chart.png").unlink(missing_ok=True)  # else the report keeps a .bak
        run_report(str(root / "handins"), str(pack_folder), chart_out=str(DOCS / "class-report-chart.png"),
                   html_out=str(root / "class.html"))
        if photograph(root / "class.html", DOCS / "class-report-html.png"):
            print(f"Wrote {DOCS / 'class-report-html.png'}")
        else:
            print("No headless Chromium: the HTML page was not photographed")


if __name__ == "__main__":
    main()
