"""Pick key frames for the report while frames stream by, in bounded memory.

Given the times wanted (e.g. the best and the worst rep's peak), the
collector keeps, for each, only the frame seen so far nearest that time: at
most one frame per target is held, whatever the clip's length. JPEG encoding
happens once, at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import cv2
import numpy as np

from formcheck.report.model import Rep


def pick_best_worst(reps: Sequence[Rep]) -> dict[str, Rep]:
    """``{"best": rep, "worst": rep}`` by quality among complete reps (all reps if none complete).

    Ties go to the earlier rep for "best" and the later for "worst". "worst"
    is left out when every rep has the same quality (there is no worse one).
    """
    pool = [r for r in reps if r.complete] or list(reps)
    if not pool:
        return {}
    best = max(pool, key=lambda r: (r.quality, -len(r.faults), -r.index))
    worst = min(pool, key=lambda r: (r.quality, -len(r.faults), -r.index))
    picked = {"best": best}
    if worst.quality < best.quality:
        picked["worst"] = worst
    return picked


def rep_caption(label: str, rep: Rep) -> str:
    """``"Best rep: #3 at 12.4 s, quality 100%"``."""
    faults = f"; {', '.join(f.replace('_', ' ') for f in rep.faults)}" if rep.faults else ""
    return f"{label} rep: #{rep.index} at {rep.peak_s:.1f} s, quality {rep.quality:.0%}{faults}"


class KeyframeCollector:
    """Keeps the frame nearest each target time.

    Args:
        targets: caption -> time in seconds. The caption becomes the key of
            :meth:`result` and is shown under the picture in the HTML report.
        max_width: frames wider than this are scaled down (keeps the report small).
        jpeg_quality: 0-100.
        tolerance_s: frames further than this from a target are ignored.
    """

    def __init__(
        self,
        targets: Mapping[str, float],
        *,
        max_width: int | None = 960,
        jpeg_quality: int = 85,
        tolerance_s: float = 1.0,
    ) -> None:
        self.targets = dict(targets)
        self.max_width = max_width
        self.jpeg_quality = jpeg_quality
        self.tolerance_s = tolerance_s
        self._best: dict[str, tuple[float, np.ndarray]] = {}

    @classmethod
    def for_reps(cls, reps: Sequence[Rep], **kwargs: object) -> KeyframeCollector:
        """Targets the best and the worst rep's peak (see :func:`pick_best_worst`)."""
        picked = pick_best_worst(reps)
        targets = {
            rep_caption(label.capitalize(), rep): rep.peak_s for label, rep in picked.items()
        }
        return cls(targets, **kwargs)  # type: ignore[arg-type]

    def offer(self, timestamp_s: float, image: np.ndarray) -> None:
        """Consider one (annotated) frame; it is copied only if it is the nearest so far."""
        for caption, target in self.targets.items():
            d = abs(timestamp_s - target)
            if d > self.tolerance_s:
                continue
            held = self._best.get(caption)
            if held is None or d < held[0]:
                self._best[caption] = (d, self._shrink(image))

    def result(self) -> dict[str, bytes]:
        """Caption -> JPEG bytes, in the targets' order, for the targets that got a frame."""
        out: dict[str, bytes] = {}
        for caption in self.targets:
            held = self._best.get(caption)
            if held is None:
                continue
            ok, buf = cv2.imencode(".jpg", held[1], [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
            if ok:
                out[caption] = buf.tobytes()
        return out

    def _shrink(self, image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        if self.max_width is None or w <= self.max_width:
            return image.copy()
        size = (self.max_width, max(1, round(h * self.max_width / w)))
        return cv2.resize(image, size, interpolation=cv2.INTER_AREA)
