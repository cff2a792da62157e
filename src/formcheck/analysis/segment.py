"""Hindsight segmentation of a recorded clip: reps, holds and cycles in the whole signal.

A live counter must decide frame by frame; a recorded clip is known whole, so it is
segmented in a second pass over the counting signal:

1. the signal is interpolated onto a uniform 50 Hz time grid and median-smoothed there,
   so nothing below depends on the clip's frame rate;
2. reps are the peaks of that signal that stand out by the definition's ``top`` from the
   lows on both sides (``scipy.signal.find_peaks`` prominence), each measured from its
   *own* rest (the low before it), so a rest that drifts between reps, or a camera that
   stretches every angle, needs no special case. The clip's rest (its 5th percentile)
   only decides whether two tops are two reps and whether a clip's edge is at rest. A
   hold may stand out by half as much when it is held on a plateau for the definition's
   ``long_hold_s`` (its width half way down, ``scipy.signal.peak_widths``);
3. the clip's edges (and gaps where the person was not judged) are walls of the signal: a
   peak whose rise was not seen is a partial rep; a top reached and held as the clip ends
   counts, cut (its hold is a lower bound). A gap where the model found nobody, with the
   body up on both sides of it, is no wall: the rep or hold goes on through it;
4. a rep shorter than the definition asks (``min_top_s``, ``min_rep_s``) counts only as
   one of a set: three or more in a row at one pace, of one size and length, clear of the
   landmarks' noise (:func:`_count_rhythm`); alone it is a fidget.

Holds of a position defined by absolute levels (child's pose: hips folded past a level)
are runs past the definition's ``top`` level, joined while the body does not come back past
its ``start`` level (:func:`segment_levels`).

The rep times feed :mod:`formcheck.analysis.metrics` as :class:`RepTiming`. Live counting
(:mod:`formcheck.analysis.counter`) runs the same segmentation on the signal seen so far.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import pairwise
from typing import NamedTuple, Protocol

import numpy as np
from scipy.signal import find_peaks, medfilt, peak_widths

from formcheck.exercises.schema import CountingSpec

GRID_S = 0.02  # the uniform time grid (50 Hz): finer than any timing that is judged
SMOOTH_S = 0.25  # median window: removes single-frame landmark flips, keeps a 0.5-s rep
MAX_GAP_S = 1.0  # unjudged time longer than this splits the clip (as in the live counter)
ARRIVE = 0.1  # a rep starts and ends within this share of its own rise of its rest
# Back at rest: at least half way down from a top to the clip's rest. Two lifts with a dip
# shallower than that between them are one rep (a hold that wavers, a limb the model loses
# for a moment); at the clip's edges, a level further than that from the clip's rest is no
# rest to rise from.
REST_BAND = 0.5
RETURN_S = 0.4  # and stayed there this long: see _apart
# The rest is the 5th percentile of the clip's counting signal: the level the body keeps
# returning to, robust to a few frames that dip below it.
REST_PERCENTILE = 5.0
# Out of a held position for less than this is the model losing the body for a few frames
# (folded face-down, say): getting up and back into the position takes longer.
LEFT_POSITION_S = 0.5
# Nor is an excursion out of it that begins and ends with a jump between two frames (within
# this time of each other) of this many times the band between the position's two levels: a
# body cannot fold or unfold that fast; the model flipping a folded body can.
JUMP_S = 0.25
JUMP_BANDS = 4.0
OPENING_S = 1.5  # the clip's opening level: its first second and a half (the model settles first)
# The level a clip closes on: its last half second. The model has nothing to settle at the
# end, and a longer window reaches back into a rep the clip was cut just after.
CLOSING_S = 0.5
# MediaPipe's VIDEO mode starts a track from the person detector's box and takes a few frames
# to settle on the body (4-5 frames at 30 fps on the shared clips; IMAGE mode, which starts
# from the detector every frame, shows no such drift), and the smoothing spreads that over a
# few tenths of a second: a run's first half second is no rest for a rep to rise from
# when the body is seen at rest after it.
SETTLE_S = 0.5
# Still: a second in which the signal moves less than this share of the rep's rise. Drift
# that slow would take 20 s to rise; a lift after a stillness is timed from its end.
STILL_S = 1.0
STILL_BAND = 0.05
# A set done briskly: this many quick reps in a row, their spacing and size each within
# this share of the set's median, their lengths within this factor of it (one movement
# repeated at one pace; a rep's start and end are less sharply timed than its peak).
RHYTHM_REPS = 3
RHYTHM_SPREAD = 0.35
RHYTHM_LENGTHS = 2.0
# Noise bumps that survive the median stand 4-8 times the frame noise on the rendered
# suites' noisiest tilts; quick tilts done as a set, 25-65 times.
RHYTHM_ABOVE_NOISE = 15.0
# Both edges of a clip past the middle of its range, or one at the high level: it rests high.
EDGES_AGREE = 0.25
# A tilt's size in the picture depends on the camera and on where the body lies (a shuffle
# along the mat can halve it), so a hold whose plateau lasts the definition's ``long_hold_s``
# counts from this share of its ``top``: a sigh, a fidget or an attempt given up lasts under
# two seconds, a deliberate hold lasts seconds.
LONG_HOLD_SHARE = 0.5
# Such a hold must also be entered briskly, reaching half way within this share of the
# definition's ``max_lift_s``: a tilt takes a second or two, while landmarks wandering over
# ten seconds or more rise a few units in a few seconds.
LONG_HOLD_LIFT = 0.5


class Blank(IntEnum):
    """What a frame with no reading says about the gap it falls in (the codes of the
    ``bridge`` arrays below; ``True`` reads as ``SEEN``)."""

    SPLIT = 0  # seen out of the exercise, or not readable: a gap of these splits the clip
    SEEN = 1  # the person is there, the pose doubted: a rep or hold carries on through it
    LOST = 2  # the model found nobody: a hold the body is up in on both sides carries on


@dataclass
class RepTiming:
    """Times of one rep, hold or cycle (in the oriented signal ``u``: up is towards the top)."""

    start_s: float
    started_before: bool = False  # began before we could see it (clip start, gap)
    top_enter_s: float | None = None
    top_exit_s: float | None = None
    peak_s: float | None = None
    peak_u: float = -math.inf
    end_s: float | None = None
    counted: bool = False
    too_slow: bool = False  # reached the target too slowly to be a movement (drift)
    quick: bool = False  # seen whole, but held or lasting less than the definition asks
    cut: bool = False  # ended by the clip's end or a gap, not by a return to rest
    phases: tuple[str, ...] = ()  # cycles: the phases seen ("low", "high")
    start_u: float = math.nan  # oriented value at the start of the movement
    top_level: float = math.nan  # past this (oriented) level the rep is at its top
    trace: list[tuple[float, float]] = field(default_factory=list)  # (t, u) while the rep runs


class Segmenter(Protocol):
    """Segments the oriented counting signal ``u`` (NaN where not judged) at times ``t``;
    ``bridge`` says why each unjudged frame is blank (:class:`Blank`)."""

    def __call__(
        self, t: np.ndarray, u: np.ndarray, spec: CountingSpec, bridge: np.ndarray | None
    ) -> Segmentation: ...


@dataclass(frozen=True)
class Segmentation:
    """The reps (or holds) of a clip, counted and partial, in time order; ``rest`` is the
    clip's rest level (cycles: its centre) in the oriented signal."""

    reps: list[RepTiming]
    rest: float = math.nan

    @property
    def counted(self) -> list[RepTiming]:
        return [r for r in self.reps if r.counted]

    @property
    def partial(self) -> int:
        return sum(not r.counted for r in self.reps)


def segment(
    t: np.ndarray,
    u: np.ndarray,
    spec: CountingSpec,
    bridge: np.ndarray | None = None,
    plateau: float | None = 0.85,
) -> Segmentation:
    """Reps of the oriented counting signal ``u`` (NaN where not judged) at times ``t``.

    ``bridge``: why each unjudged frame is blank (:class:`Blank`): a gap made only of frames
    where the person is there (``SEEN``, a doubted skeleton) does not split a rep, nor does
    one where nobody was found (``LOST``) with the body up on both sides of it.
    ``plateau``: the share of a rep's own rise that marks its top (its hold is the time
    spent there); ``None`` times the hold past the definition's ``top`` instead.
    """
    t, u = np.asarray(t, dtype=float), np.asarray(u, dtype=float)
    grids, unseen = _runs_and_gaps(t, u, bridge)
    if not grids:
        return Segmentation([])
    if spec.either_way and _rests_high(grids):
        grids = [(grid, -y) for grid, y in grids]
    # The patient's rest: where the body spends its time at its lowest, over the whole clip.
    rest = float(np.percentile(np.concatenate([y for _, y in grids]), REST_PERCENTILE))
    noise = _frame_noise(u)
    # A rep or hold the model loses at its top goes on through the gap (_joined_in_position),
    # if the body is still up, past the level a rep or hold needs to rise, on both sides.
    if any(unseen):
        need = _least_rise(spec)
        grids = _joined_in_position(grids, unseen, rest + need, _jumps(t, u, need))
    reps: list[RepTiming] = []
    for grid, y in grids:
        reps += _segment_run(grid, y, rest, spec, plateau, noise)
    return Segmentation(reps, rest)


def _least_rise(spec: CountingSpec) -> float:
    """The least rise a rep or hold may count from: ``top``, or a share of it for a hold
    held ``long_hold_s``."""
    full = abs(spec.top)
    return full * LONG_HOLD_SHARE if spec.long_hold_s is not None else full


def _runs_and_gaps(
    t: np.ndarray, u: np.ndarray, bridge: np.ndarray | None
) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[bool]]:
    """Each run of judged frames smoothed onto the time grid (see :func:`_runs`), and for
    each gap between two runs whether nobody was seen in it out of the exercise: only the
    person lost (``Blank.LOST``) or doubted (``Blank.SEEN``)."""
    blank = np.zeros(len(t), dtype=int) if bridge is None else np.asarray(bridge, dtype=int)
    runs = _runs(t, u, blank)
    grids = [_smooth_on_grid(t[lo:hi], u[lo:hi]) for lo, hi in runs]
    unseen = [bool(np.all(blank[a:b] != Blank.SPLIT)) for (_, a), (b, _) in pairwise(runs)]
    return grids, unseen


def _rests_high(grids: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    """Whether the patient rests at the clip's high level: then the movement goes down.

    A set opens and closes at rest, so both edges vote (each by where its level sits
    between the clip's low and high); an edge cut mid-hold votes the other way or not at
    all, and when the votes do not clearly say "high", the definition's direction stands.
    """
    y = np.concatenate([y for _, y in grids])
    lo, hi = np.percentile(y, [REST_PERCENTILE, 100 - REST_PERCENTILE])
    if hi <= lo:
        return False
    (g0, first), (g1, last) = grids[0], grids[-1]
    opening = float(np.median(first[g0 - g0[0] <= OPENING_S]))
    closing = float(np.median(last[g1[-1] - g1 <= CLOSING_S]))
    vote = sum((level - (lo + hi) / 2) / (hi - lo) for level in (opening, closing))
    return vote > EDGES_AGREE


def _runs(t: np.ndarray, u: np.ndarray, bridge: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges of judged frames with no gap longer than ``MAX_GAP_S`` between them
    (other than one of frames where the person was seen, ``Blank.SEEN``)."""
    valid = ~np.isnan(u)
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return []
    runs: list[tuple[int, int]] = []
    start = idx[0]
    for a, b in pairwise(idx):
        doubted_only = b - a > 1 and bool(np.all(bridge[a + 1 : b] == Blank.SEEN))
        if t[b] - t[a] > MAX_GAP_S and not doubted_only:
            runs.append((start, a + 1))
            start = b
    runs.append((start, idx[-1] + 1))
    return runs


def _smooth_on_grid(t: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Linear interpolation onto the grid, then a median over ``SMOOTH_S`` of grid points.

    Interpolating first makes the smoothing the same at every frame rate (a median over a
    few frames at 10 fps would shift a movement's corners by a whole frame).
    """
    ok = ~np.isnan(u)
    ts, us = t[ok], u[ok]
    n = max(1, int(np.floor((ts[-1] - ts[0]) / GRID_S)) + 1)
    grid = ts[0] + GRID_S * np.arange(n)
    y = np.interp(grid, ts, us)
    k = round(SMOOTH_S / GRID_S) | 1  # odd
    if n >= k:
        y = medfilt(np.pad(y, k // 2, mode="edge"), k)[k // 2 : k // 2 + n]
    return grid, y


def _frame_noise(u: np.ndarray) -> float:
    """The landmarks' frame-to-frame noise in the signal (a robust standard deviation of
    one frame's reading; the movement, slow against the frame rate, barely shows in it)."""
    d = np.diff(u[~np.isnan(u)])
    if d.size < 2:
        return math.inf
    return float(1.4826 * np.median(np.abs(d - np.median(d))) / math.sqrt(2.0))


def _segment_run(
    grid: np.ndarray,
    y: np.ndarray,
    rest: float,
    spec: CountingSpec,
    plateau: float | None,
    noise: float = math.inf,
) -> list[RepTiming]:
    n = len(y)
    if n < 3:
        return []
    settle = round(SETTLE_S / GRID_S)

    def near_rest(level: float, top: float) -> bool:
        """At the clip's edge, a level is the rest only if near the clip's rest, either way."""
        return abs(level - rest) <= REST_BAND * max(top - rest, 0.0)

    full = abs(spec.top)
    low = _least_rise(spec)
    tops = _tops(y, rest, spec, low)
    peaks = _apart(sorted(tops), y, rest)
    reps: list[RepTiming] = []
    for k, p in enumerate(peaks):
        top = float(y[p])
        # A long hold that rises less than the target is judged from the lower level (its
        # rise and its return); any long hold need only stay past that level to count.
        small = tops[p].rise < full
        if small and not tops[p].long:
            continue
        need = low if small else full
        held_past = low if tops[p].long else full
        left_from = peaks[k - 1] if k > 0 else 0
        right_to = peaks[k + 1] if k + 1 < len(peaks) else n - 1
        li = left_from + int(np.argmin(y[left_from : p + 1]))
        if k == 0 and p > settle:
            # At a run's opening (the clip's, or a gap's end, where the track starts again)
            # the model's first frames can sit far from where the body rests: the rise is
            # measured from the rest seen once they settle, if there is one (a rep rising
            # from the first frames keeps its lowest point).
            settled = settle + int(np.argmin(y[settle : p + 1]))
            if near_rest(float(y[settled]), top):
                li = settled
        ri = p + int(np.argmin(y[p : right_to + 1]))
        rise_l, rise_r = top - y[li], top - y[ri]
        start_i = _last_at_or_below(y, li, p, y[li] + ARRIVE * rise_l)
        # A rise already under way at the clip's opening (or a gap's end) is seen only if the
        # clip opens at the patient's rest level: not mid-movement, nor on the model's first
        # frames settling far from the rest the clip keeps returning to. The same for a
        # lowering that the clip's end (or a gap) cuts short.
        from_edge = not np.any(y[:start_i] > y[li] + ARRIVE * rise_l)
        to_edge = not np.any(y[ri:] > y[ri] + ARRIVE * rise_r)
        seen_rise = (
            rise_l >= need and start_i > 0 and (not from_edge or near_rest(float(y[li]), top))
        )
        # Back down at least half way to the clip's rest (as between two reps, see _apart):
        # a shallower dip with no second top after it (yet) is the top wavering.
        came_down = y[ri] - rest <= REST_BAND * max(top - rest, 0.0)
        returned = rise_r >= need and came_down and (not to_edge or near_rest(float(y[ri]), top))
        own_rest = float(y[li]) if seen_rise else float(y[ri]) if returned else rest
        rise = top - own_rest
        start_i = start_i if seen_rise else 0
        end_i = _first_at_or_below(y, p, ri, y[ri] + ARRIVE * rise_r) if returned else n - 1
        top_level = own_rest + (plateau * rise if plateau is not None else need)
        above = np.flatnonzero(y[start_i : end_i + 1] >= top_level) + start_i
        # The top: the stretch above the level that holds the peak.
        top_in, top_out = _stretch_around(above, p)
        # A rep that came back counts once held past the definition's target (as live),
        # however much its top wavers above it. One cut by the clip's end counts only if it
        # reached its top and stayed there: a rise still under way when the clip ends has
        # no top yet.
        past = np.flatnonzero(y[start_i : end_i + 1] >= own_rest + held_past) + start_i
        held_in, held_out = _stretch_around(past, p) if returned else (top_in, top_out)
        held = (held_out - held_in) * GRID_S if held_in is not None and held_out is not None else 0
        span = (end_i - start_i) * GRID_S
        # Drift creeps the whole way; a deliberate lift leaves rest and goes. The lift is
        # timed from the body's last moment at rest: at its own low, back at the clip's
        # rest after dipping below it (a sigh or fidget, then a pause, then the rep), or
        # still at another level (a shuffle along the mat that shifts the rest, a pause).
        at_rest = _last_at_or_below(y, start_i, p, rest + ARRIVE * (top - rest))
        if top_in is not None:
            still = _last_still(y, start_i, top_in, STILL_BAND * rise, top_level)
            lift = (top_in - max(start_i, at_rest, still)) * GRID_S
        else:
            lift = 0.0
        max_lift = (spec.max_lift_s or math.inf) * (LONG_HOLD_LIFT if small else 1.0)
        slow = seen_rise and lift > max_lift
        # A rep whose lift was not seen is partial; a hold already held as the clip opens is
        # timed from there.
        held_from_opening = spec.kind == "holds" and top_in == 0
        whole = seen_rise and returned and span <= spec.max_rep_s and not slow
        long_enough = held >= spec.min_top_s and span >= spec.min_rep_s
        counted = (
            (seen_rise or held_from_opening)
            and held >= spec.min_top_s
            and (span >= spec.min_rep_s or not returned)
            and span <= spec.max_rep_s
            and not slow
            # Under the target, only a hold seen whole: a rest that settles higher (a shuffle
            # along the mat) rises and stays, a held tilt comes back.
            and (returned or not small)
        )
        reps.append(
            RepTiming(
                start_s=float(grid[start_i]),
                started_before=not seen_rise,
                top_enter_s=float(grid[top_in]) if top_in is not None else None,
                top_exit_s=float(grid[top_out]) if top_out is not None and returned else None,
                peak_s=float(grid[p]),
                peak_u=top,
                end_s=float(grid[end_i]),
                counted=counted,
                too_slow=slow,
                quick=whole and not long_enough,
                cut=not returned,
                start_u=own_rest if seen_rise else float("nan"),
                top_level=top_level,
                trace=[(float(grid[i]), float(y[i])) for i in range(start_i, end_i + 1)],
            )
        )
    _count_rhythm(reps, noise)
    return reps


class _Top(NamedTuple):
    rise: float  # above the higher of the lows on either side, and above the clip's rest
    long: bool  # a hold whose plateau lasts the definition's long_hold_s


def _tops(y: np.ndarray, rest: float, spec: CountingSpec, low: float) -> dict[int, _Top]:
    """The peaks that rise by the definition's ``top`` from the lows on both sides and from
    the clip's rest and, given ``long_hold_s``, those that rise by ``low`` on a plateau (the
    peak's width half way down that rise) that lasts that long."""
    need = abs(spec.top)
    # Walls below everything at both edges, so a peak at the clip's edge is a peak too. A
    # peak with nothing higher on either side stands out down to a wall: its rise is measured
    # from the clip's rest instead.
    wall = min(float(np.min(y)), rest) - 10 * need - 1.0
    padded = np.concatenate(([wall], y, [wall]))
    found, props = find_peaks(padded, prominence=low)
    rise = np.minimum(props["prominences"], padded[found] - rest)
    long = np.zeros(found.size, dtype=bool)
    if spec.long_hold_s is not None and np.any(can := rise >= low):
        bases = (rise[can], props["left_bases"][can], props["right_bases"][can])
        widths = peak_widths(padded, found[can], rel_height=0.5, prominence_data=bases)[0]
        long[can] = widths * GRID_S >= spec.long_hold_s
    return {
        int(i) - 1: _Top(float(r), bool(held))
        for i, r, prominence, held in zip(found, rise, props["prominences"], long, strict=True)
        if prominence >= need or held
    }


def _count_rhythm(reps: list[RepTiming], noise: float) -> None:
    """Count quick reps that belong to a set: at least ``RHYTHM_REPS`` whole reps in a row
    (quick or counted), evenly spaced, of like size and length, and each standing out from the
    landmarks' noise by ``RHYTHM_ABOVE_NOISE`` times. A set done briskly (tilt and release,
    no hold) repeats one movement at one pace; a fidget or a sigh does not keep time, and
    noise that keeps time is no bigger than noise."""
    group: list[RepTiming] = []
    for rep in [*reps, None]:
        if rep is not None and (rep.quick or (rep.counted and not rep.cut)):
            group.append(rep)
            continue
        if len(group) >= RHYTHM_REPS and any(r.quick for r in group):
            gaps = np.diff([r.peak_s or 0.0 for r in group])
            rises = np.array([r.peak_u - r.start_u for r in group])
            spans = np.array([(r.end_s or r.start_s) - r.start_s for r in group])
            spans = np.maximum(spans, GRID_S)
            lengths = np.abs(np.log(spans / float(np.median(spans))))
            alike = _alike(gaps) and _alike(rises) and lengths.max() <= np.log(RHYTHM_LENGTHS)
            if alike and rises.min() >= RHYTHM_ABOVE_NOISE * noise:
                for r in group:
                    r.counted = True
        group = []


def _alike(values: np.ndarray) -> bool:
    mid = float(np.median(values))
    return mid > 0 and bool(np.all(np.abs(values / mid - 1.0) <= RHYTHM_SPREAD))


def _apart(peaks: list[int], y: np.ndarray, rest: float) -> list[int]:
    """Merge neighbouring tops into one rep unless the body came back down between them:
    at least ``REST_BAND`` of the way from the lower top to the clip's rest, for
    ``RETURN_S`` (a limb lowered and raised again takes that long; the model losing it
    for a frame or two does not)."""
    kept: list[int] = []
    for p in peaks:
        if kept:
            low_top = min(float(y[kept[-1]]), float(y[p]))
            band = rest + REST_BAND * max(low_top - rest, 0.0)
            down_s = np.count_nonzero(y[kept[-1] : p + 1] <= band) * GRID_S
            if down_s < RETURN_S:
                if y[p] > y[kept[-1]]:
                    kept[-1] = p
                continue
        kept.append(p)
    return kept


def _last_still(y: np.ndarray, lo: int, hi: int, band: float, below: float) -> int:
    """The last index in ``[lo, hi]`` that ends ``STILL_S`` of signal within ``band``, all
    under ``below`` (``lo`` if none)."""
    w = round(STILL_S / GRID_S)
    if hi - lo + 1 < w:
        return lo
    windows = np.lib.stride_tricks.sliding_window_view(y[lo : hi + 1], w)
    ok = np.flatnonzero((np.ptp(windows, axis=1) <= band) & (windows.max(axis=1) < below))
    return lo + int(ok[-1]) + w - 1 if ok.size else lo


def _last_at_or_below(y: np.ndarray, lo: int, hi: int, level: float) -> int:
    idx = np.flatnonzero(y[lo : hi + 1] <= level)
    return lo + int(idx[-1]) if idx.size else lo


def _first_at_or_below(y: np.ndarray, lo: int, hi: int, level: float) -> int:
    idx = np.flatnonzero(y[lo : hi + 1] <= level)
    return lo + int(idx[0]) if idx.size else hi


def _stretch_around(above: np.ndarray, p: int) -> tuple[int | None, int | None]:
    """First and last index of the contiguous run of ``above`` that contains ``p``."""
    if above.size == 0 or p not in above:
        return None, None
    return next(((a, b) for a, b in _index_runs(above) if a <= p <= b), (None, None))


def segment_cycles(
    t: np.ndarray,
    v: np.ndarray,
    spec: CountingSpec,
    bridge: np.ndarray | None = None,
    centre: float | None = None,
    openings: bool = True,
) -> Segmentation:
    """Full cycles of a signed signal ``v``: one turning point each side of its centre.

    The centre is the clip's median (the patient's neutral). Turning points are the
    peaks and troughs that stand out by ``top`` (prominence) and lie past the centre by
    ``hysteresis`` (by half of ``top`` for a level the clip opens or closes on, which is
    taken once the tracker has settled); two in a row on the same side are one (a wobble
    inside a held arch).
    Consecutive turning points on opposite sides make one cycle; a turning point left
    over at the clip's edge is a partial cycle. ``centre``: the patient's, learned
    elsewhere (live, from the recent signal), instead of this signal's median;
    ``openings`` False: a level a run opens on is never a turn (live, where the centre
    learned from the first seconds is not yet the patient's, and where a window opens on
    the last counted cycle's second turn, which starts no cycle).
    """
    grids, _ = _runs_and_gaps(np.asarray(t, dtype=float), np.asarray(v, dtype=float), bridge)
    if not grids:
        return Segmentation([])
    if centre is None:
        centre = float(np.median(np.concatenate([y for _, y in grids])))
    reps: list[RepTiming] = []
    for grid, y in grids:
        reps += _cycles_in_run(grid, y, centre, spec, openings)
    return Segmentation(reps, centre)


def _cycles_in_run(
    grid: np.ndarray,
    y: np.ndarray,
    centre: float,
    spec: CountingSpec,
    openings: bool,
) -> list[RepTiming]:
    if len(y) < 3:
        return []
    need, margin = abs(spec.top), spec.hysteresis
    wall = 10 * need + float(np.ptp(y)) + 1.0
    settle = round(SETTLE_S / GRID_S)
    turns: list[tuple[int, int]] = []  # (index, +1 high / -1 low)
    for sign in (1, -1):
        seen = sign * (y - centre)
        found, _ = find_peaks(np.concatenate(([-wall], seen, [-wall])), prominence=need)
        for i in found - 1:
            opens_on = bool(seen[: i + 1].min() > seen[i] - need)
            if opens_on and not openings:
                continue
            if opens_on and i < settle:
                # A level the run opens on: the model's first frames settle on the body
                # (see SETTLE_S), so the turn is where the level stands once they have.
                left = np.flatnonzero(seen[i:] < seen[i] - need)
                end = i + int(left[0]) if left.size else len(seen)
                if end <= settle:
                    continue
                i = settle + int(np.argmax(seen[settle:end]))
            # A level the clip opens or closes on, not left by ``top`` before the edge, is a
            # turn only past the centre by half of ``top``: the patient resting at a neutral
            # a little off the clip's median (a camera off side-on makes the swings lopsided
            # and moves the median) is no half cycle.
            low = seen[i] - need
            at_edge = bool(seen[: i + 1].min() > low or seen[i:].min() > low)
            past = seen[i] > (max(margin, need / 2) if at_edge else margin)
            held = _time_past(grid, y, int(i), centre + sign * margin, sign)
            if past and held >= spec.min_top_s:
                turns.append((int(i), sign))
    turns.sort()
    merged: list[tuple[int, int]] = []
    for i, sign in turns:
        if merged and merged[-1][1] == sign:
            if sign * y[i] > sign * y[merged[-1][0]]:
                merged[-1] = (i, sign)
            continue
        merged.append((i, sign))
    reps: list[RepTiming] = []
    k = 0
    while k < len(merged):
        first = merged[k]
        second = merged[k + 1] if k + 1 < len(merged) else None
        start_i = _departure(y, centre, first[0], first[1])
        if second is None:
            end_i = len(y) - 1
        else:
            end_i = _departure(y, centre, second[0], second[1], forward=True)
        kinds = ("high" if first[1] > 0 else "low",) + (
            ("high" if second[1] > 0 else "low",) if second else ()
        )
        reps.append(
            RepTiming(
                start_s=float(grid[start_i]),
                started_before=start_i == 0,
                top_enter_s=float(grid[first[0]]),
                peak_s=float(grid[second[0] if second else first[0]]),
                end_s=float(grid[end_i]),
                counted=second is not None,
                cut=second is None,
                phases=kinds,
                trace=[(float(grid[i]), float(y[i])) for i in range(start_i, end_i + 1)],
            )
        )
        k += 2
    return reps


def _time_past(grid: np.ndarray, y: np.ndarray, i: int, level: float, sign: int) -> float:
    """How long the swing through ``i`` stays past ``level`` (on ``sign``'s side)."""
    lo, hi = _stretch_around(np.flatnonzero(sign * (y - level) > 0), i)
    return float(grid[hi] - grid[lo]) if lo is not None and hi is not None else 0.0


def _departure(y: np.ndarray, centre: float, i: int, sign: int, forward: bool = False) -> int:
    """Where the swing through ``i`` leaves (or, ``forward``, comes back to) the centre."""
    back = sign * (y - centre) <= 0
    if forward:
        idx = np.flatnonzero(back[i:])
        return i + int(idx[0]) if idx.size else len(y) - 1
    idx = np.flatnonzero(back[: i + 1])
    return int(idx[-1]) if idx.size else 0


def segment_levels(
    t: np.ndarray,
    u: np.ndarray,
    spec: CountingSpec,
    bridge: np.ndarray | None = None,
    openings: bool = True,
) -> Segmentation:
    """Holds of a position set by absolute levels in the oriented signal ``u``: the body is
    in it past ``top``, and has left it only once back past ``start`` for
    ``LEFT_POSITION_S`` (between the two it is still settling or shifting in the
    position), or left only in the model's reading (an excursion entered and left by a
    jump no body makes). A hold counts once held ``min_top_s``; one already held as the clip
    opens is timed from there. A gap in which the model found nobody (``Blank.LOST``) does
    not end a hold held on both sides of it (:func:`_joined_in_position`).
    ``openings`` False: a hold a run opens in joins no later one across a flipped reading
    (live, where a window opens on the tail of a hold already closed)."""
    sign = 1.0 if spec.direction == "up" else -1.0
    reach, leave = sign * spec.top, sign * spec.start
    t, u = np.asarray(t, dtype=float), np.asarray(u, dtype=float)
    jumps = _jumps(t, u, abs(reach - leave))
    grids, unseen = _runs_and_gaps(t, u, bridge)
    reps: list[RepTiming] = []
    for grid, y in _joined_in_position(grids, unseen, reach, jumps):
        reps += _holds_in_run(grid, y, reach, leave, spec, jumps, openings)
    return Segmentation(reps, leave)


def _joined_in_position(
    grids: list[tuple[np.ndarray, np.ndarray]],
    unseen: list[bool],
    reach: float,
    jumps: np.ndarray,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Runs joined across a gap with the body held in the position on both sides of it.

    The model loses a folded body for seconds (face down, limbs hidden), and any body for a
    moment, while a body that leaves the position is seen doing it: unfolding or lowering
    before the gap, or refolding or rising after it. So a gap in which nobody was seen out
    of the exercise (``unseen``, one per gap) is the model's when the last level before it is
    past ``reach`` (a held position: the hold's level, between which and the level that
    leaves it the body may be on its way out; a rep or a hold from the patient's rest: the
    rise it needs) and so is every level after it, bar the model's first frames if they
    jump there (the tracker starts again from the person detector's box and settles on the
    body, see ``SETTLE_S``). The hold goes on through the gap, drawn straight across it.
    """
    settle = round(SETTLE_S / GRID_S)
    joined: list[tuple[np.ndarray, np.ndarray]] = []
    for k, (grid, y) in enumerate(grids):
        if joined and unseen[k - 1] and joined[-1][1][-1] >= reach:
            g0, y0 = joined[-1]
            if len(y) > settle:
                out = np.flatnonzero(y[: settle + 1] < reach)
                settled = not out.size or _jumped(jumps, grid[out[0]], grid[out[-1]])
                first = int(out[-1]) + 1 if out.size else 0  # past the tracker's jump
                gs, ys = grid[first:], y[first:]
            else:  # not settled yet (live): its reading is no sign that the body left
                gs, ys, settled = grid[-1:], y0[-1:], True
            if settled and ys[0] >= reach:
                whole = g0[0] + GRID_S * np.arange(round((grid[-1] - g0[0]) / GRID_S) + 1)
                joined[-1] = (whole, np.interp(whole, [*g0, *gs], [*y0, *ys]))
                continue
        joined.append((grid, y))
    return joined


def _jumps(t: np.ndarray, u: np.ndarray, band: float) -> np.ndarray:
    """(from, to) times of consecutive frames whose readings differ by ``JUMP_BANDS`` bands."""
    ok = ~np.isnan(u)
    t, u = t[ok], u[ok]
    big = (np.abs(np.diff(u)) > JUMP_BANDS * band) & (np.diff(t) <= JUMP_S)
    return np.column_stack((t[:-1][big], t[1:][big])) if t.size > 1 else np.empty((0, 2))


def _jumped(jumps: np.ndarray, a: float, b: float) -> bool:
    """Whether a jump falls between times ``a`` and ``b`` (within the smoothing's reach)."""
    return bool(np.any((jumps[:, 1] >= a - SMOOTH_S) & (jumps[:, 0] <= b + SMOOTH_S)))


def _never_left(
    grid: np.ndarray,
    y: np.ndarray,
    span: list[int],
    lo: int,
    leave: float,
    jumps: np.ndarray,
    openings: bool,
) -> bool:
    """Whether the body stayed in the position between ``span`` and a run from ``lo``: out
    of it under ``LEFT_POSITION_S``, or out only in the model's reading (the excursion entered
    and left by a jump; live, only after a hold seen entered, see :func:`segment_levels`)."""
    out = np.flatnonzero(y[span[1] : lo] < leave) + span[1]
    if out.size * GRID_S < LEFT_POSITION_S:
        return True
    entered = openings or bool(np.any(y[: span[0]] < leave))
    return (
        entered
        and _jumped(jumps, grid[span[1]], grid[out[0]])
        and _jumped(jumps, grid[out[-1]], grid[lo])
    )


def _holds_in_run(
    grid: np.ndarray,
    y: np.ndarray,
    reach: float,
    leave: float,
    spec: CountingSpec,
    jumps: np.ndarray,
    openings: bool,
) -> list[RepTiming]:
    n = len(y)
    above = np.flatnonzero(y >= reach)
    if above.size == 0:
        return []
    # Runs past the level, joined while the body stays in the position between them.
    spans: list[list[int]] = []
    for lo, hi in _index_runs(above):
        if spans and _never_left(grid, y, spans[-1], lo, leave, jumps, openings):
            spans[-1][1] = hi
        else:
            spans.append([lo, hi])
    reps: list[RepTiming] = []
    for lo, hi in spans:
        before = np.flatnonzero(y[:lo] < leave)
        after = np.flatnonzero(y[hi:] < leave)
        start_i = int(before[-1]) + 1 if before.size else 0
        end_i = hi + int(after[0]) if after.size else n - 1
        returned = after.size > 0
        held = (hi - lo) * GRID_S
        span = (end_i - start_i) * GRID_S
        peak = lo + int(np.argmax(y[lo : hi + 1]))
        reps.append(
            RepTiming(
                start_s=float(grid[start_i]),
                started_before=before.size == 0,
                top_enter_s=float(grid[lo]),
                top_exit_s=float(grid[hi]) if returned else None,
                peak_s=float(grid[peak]),
                peak_u=float(y[peak]),
                end_s=float(grid[end_i]),
                counted=held >= spec.min_top_s and (span >= spec.min_rep_s or not returned),
                cut=not returned,
                start_u=float(y[start_i]) if before.size else math.nan,
                top_level=reach,
                trace=[(float(grid[i]), float(y[i])) for i in range(start_i, end_i + 1)],
            )
        )
    return reps


def _index_runs(idx: np.ndarray) -> list[tuple[int, int]]:
    """First and last index of each run of consecutive indices in ``idx``."""
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [idx.size - 1]))
    return [(int(idx[a]), int(idx[b])) for a, b in zip(starts, ends, strict=True)]
