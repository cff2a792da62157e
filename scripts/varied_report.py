"""Break a scored varied suite down by exercise, class of movement variety and camera view.

Usage::

    .venv/bin/python scripts/varied_report.py benchmark_suite_varied/results.json

``results.json`` is what ``formcheck eval SUITE --json`` wrote; each clip's truth file
(beside its video) says what variety was drawn (``variety``) and where the camera stood.
Prints Markdown tables (docs/accuracy.md, "Varied suite (untouched)"). A clip belongs to
every class it shows (a fast clip with a shuffle counts in both rows).
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Callable
from pathlib import Path


def _truth(video: str) -> dict:
    p = Path(video)
    return json.loads(p.with_name(p.stem + ".truth.json").read_text())


def classes(truth: dict) -> list[str]:
    """The classes of variety (and none) one clip shows."""
    v = truth.get("variety") or {}
    out = []
    tempo = float(v.get("tempo", 1.0))
    out.append("tempo 0.5-0.8x" if tempo < 0.8 else "tempo 1.25-2x" if tempo > 1.25 else
               "tempo 0.8-1.25x")  # fmt: skip
    if v.get("amplitudes") and min(v["amplitudes"]) < 0.92:
        out.append("a rep under 92 % of full range")
    if any(h >= 3.0 for h in v.get("top_holds_s", [])) and truth["exercise"] in (
        "bridge", "bird_dog"
    ):  # fmt: skip
        out.append("top hold 3-5 s")
    if any(p >= 2.0 for p in v.get("pauses_s", [])):
        out.append("pause >= 2 s")
    events = set(v.get("events", []))
    for e, name in (("fidget", "fidget at rest"), ("sigh", "sigh"), ("shuffle", "shuffle"),
                    ("small_attempt", "too-small attempt")):  # fmt: skip
        if e in events:
            out.append(name)
    cut = v.get("cut") or {}
    if cut.get("start"):
        out.append("opens mid-rep")
    if cut.get("end"):
        out.append("ends mid-rep")
    return out


def band(value: float, edges: tuple[float, ...]) -> str:
    for lo, hi in itertools.pairwise(edges):
        if lo <= value < hi or value == edges[-1]:
            return f"{lo:.0f}-{hi:.0f}"
    return "?"


def table(title: str, rows: list[tuple[dict, dict]], key: Callable[[dict, dict], list[str]]) -> str:
    groups: dict[str, list[tuple[dict, dict]]] = {}
    for clip, truth in rows:
        for k in key(clip, truth):
            groups.setdefault(k, []).append((clip, truth))
    lines = [f"| {title} | clips | exact | off-by-one | cannot judge | fault TP/FN/FP |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for k in sorted(groups):
        g = groups[k]
        exact = sum(c["abs_error"] == 0 for c, _ in g)
        obo = sum(c["abs_error"] is not None and c["abs_error"] <= 1 for c, _ in g)
        declined = sum(not c["judgeable"] for c, _ in g)
        tp = sum(t["tp"] for c, _ in g for t in c["faults"].values())
        fn = sum(t["fn"] for c, _ in g for t in c["faults"].values())
        fp = sum(t["fp"] for c, _ in g for t in c["faults"].values())
        n = len(g)
        lines.append(f"| {k} | {n} | {exact}/{n} ({exact / n:.0%}) | {obo}/{n} ({obo / n:.0%}) "
                     f"| {declined} | {tp}/{fn}/{fp} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", type=Path)
    args = ap.parse_args()
    data = json.loads(args.results.read_text())
    rows = [(c, _truth(c["path"])) for c in data["clips"] if c.get("error") is None]

    def azimuth(c: dict, t: dict) -> list[str]:
        return [band(abs(t["camera"]["azimuth_deg"]), (0, 20, 40, 60))]

    def elevation(c: dict, t: dict) -> list[str]:
        return [band(t["camera"]["elevation_deg"], (0, 15, 30, 45))]

    print(table("exercise", rows, lambda c, t: [t["exercise"]]), "\n")
    print(table("clips", rows, lambda c, t: [f"{t['exercise']} {t['fault'] or 'clean'}"]), "\n")
    print(table("variety", rows, lambda c, t: classes(t)), "\n")
    print(table("deg off side-on", rows, azimuth), "\n")
    print(table("deg up", rows, elevation), "\n")
    print("| clip | true | counted | partial | classes |\n|---|---|---|---|---|")
    for c, t in rows:
        if c["abs_error"] != 0:
            counted = f"{c['predicted']}{'' if c['judgeable'] else ' (cannot judge)'}"
            partial = sum(1 for r in t["reps"] if r.get("partial"))
            name = Path(c["path"]).stem
            print(
                f"| {name} | {c['true_count']} | {counted} | {partial} | {', '.join(classes(t))} |"
            )


if __name__ == "__main__":
    main()
