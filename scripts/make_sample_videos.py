"""Regenerate sample_videos/ (clips + truth) and docs/contact_sheets/.

Usage, from the repository root:

    .venv/bin/python scripts/make_sample_videos.py [SAMPLE_NAME ...]

With names (e.g. ``bridge_clean``) only those clips and their sheets are rebuilt.
Deterministic: the same code gives the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from formcheck.synth.samples import make_samples

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    make_samples(ROOT / "sample_videos", ROOT / "docs" / "contact_sheets", tuple(sys.argv[1:]))
