"""Screenshots for the README: the batch page (docs/batch-desktop.png at 1400 px, docs/batch-phone.png at 390 px)
and a site's review report from the same batch (docs/review-report-desktop.png, docs/review-report-phone.png).

Runs `planfit batch --lang zh` on a few samples (and two corpus drawings, when the corpus is there, to show a
flagged value and an undecided site) and `planfit report` on community_too_small (the report the batch writes
in that site's folder, here with the relative path a user types), opens both in headless Chromium (playwright,
/usr/bin/chromium) and saves both widths of each as palette PNGs.

    .venv/bin/python docs/batch_screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["community_too_small.dxf", "community_window_missing.dxf", "community_new_pass.dxf", "rural_pass.dxf",
           "street.planfit.toml"]
CORPUS = ["in_edcr_sub10_apartment_units.dxf", "in_edcr_FLAT_apartment.dxf"]
SHOTS = {"batch-desktop.png": ("index.html", 1400, 1100), "batch-phone.png": ("index.html", 390, 1400),
         "review-report-desktop.png": ("review.html", 1400, 900), "review-report-phone.png": ("review.html", 390, 900)}


def main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright
    from PIL import Image

    from test_batch_browser import CHROMIUM, FLAGS, font_config

    corpus = ROOT.parent / "shared" / "corpus"
    inputs = [f"samples/{s}" for s in SAMPLES] + [f"../shared/corpus/{c}" for c in CORPUS if (corpus / c).is_file()]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        subprocess.run([sys.executable, "-m", "planfit", "batch", *inputs, "-o", str(out), "--lang", "zh", "-j", "2"],
                       check=False, capture_output=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
        subprocess.run([sys.executable, "-m", "planfit", "report", "samples/community_too_small.dxf", "-o",
                        str(out / "review.html"), "--lang", "zh"], check=True, capture_output=True, cwd=ROOT,
                       env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
        env = dict(os.environ, FONTCONFIG_FILE=font_config(Path(tmp) / "fonts"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True, env=env)
            for name, (doc, w, h) in SHOTS.items():
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto((out / doc).as_uri())
                page.wait_for_load_state("load")
                shot = Path(tmp) / name
                page.screenshot(path=str(shot))
                Image.open(shot).convert("RGB").quantize(colors=128).save(ROOT / "docs" / name, optimize=True)
                print(ROOT / "docs" / name, (ROOT / "docs" / name).stat().st_size)
            browser.close()


if __name__ == "__main__":
    main()
