"""The schema of an exercise definition.

Exercise rules are data: a physiotherapist reads them in the TOML files beside
this module and overrides any threshold, cue or prescription per patient with
``--config patient.toml``. TOML was chosen over YAML because it is in the
standard library (tomllib), has no implicit type coercion ("no" stays a
string) and reads like an ini file. Pydantic validates every file strictly:
unknown keys, wrong types and impossible values are rejected with the path
of the offending key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from formcheck.exercises.quantities import (
    ANGLE_KINDS,
    check_cues,
    check_rules,
    signal_quantities,
)
from formcheck.landmarks import SIDED_PARTS

SignalKind = Literal[
    "angle",
    "signed_angle",
    "height",
    "along",
    "side_gap",
    "elevation",
    "inclination",
    "drop",
    "roll",
    "twist",
    "sagittal_angle",
    "sagittal_height",
]
SideSpec = Literal["near", "far", "left", "right", "max", "min", "each"]
Direction = Literal["up", "down"]
Reference = Literal["absolute", "baseline", "centre"]
CountingKind = Literal["reps", "holds", "cycles"]
# Measured in the body's own plane from the 3D pose: the same from any camera angle.
SAGITTAL_KINDS = frozenset({"sagittal_angle", "sagittal_height"})
Op = Literal["<", "<=", ">", ">="]
Position = Literal["supine", "tabletop", "kneeling"]

_POINTS = set(SIDED_PARTS) | {"nose"}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SignalSpec(_Strict):
    """How to measure one signal from the landmarks.

    kinds:
      - ``angle``: unsigned image-plane angle at ``points[1]`` (degrees, 0-180).
      - ``signed_angle``: like ``angle`` but continues past 180 when the vertex
        rises above the line through the outer points (over-extension).
      - ``height``: height of ``points[0]`` above the line ``points[1]``-``points[2]``,
        in torso lengths (positive = towards the top of the picture).
      - ``along``: how far ``points[0]`` lies from ``points[1]`` in the direction of
        ``points[2]``, in torso lengths (a knee sliding along the body's axis).
      - ``side_gap``: vertical gap between the left and right ``points[0]``, in
        torso lengths (pelvis or trunk rotation in a side view).
      - ``elevation``: height of ``points[0]`` above the bottom of the picture, in
        torso lengths (a rise from its rest value shows a lifted foot or hip).
      - ``drop``: how far ``points[1]`` is below ``points[0]`` in the picture, in torso
        lengths (negative when above).
      - ``roll``: how far the line between the left and right ``points[0]`` tilts out of
        level, in degrees, from the model's 3D (world) landmarks: the pelvis or trunk
        rolling, which a side view hides in the picture. With two points, the mean of
        both lines' roll (hips and shoulders: the trunk rolling as a whole). With
        ``side = "each"`` it is signed per side: ``name_left`` is how far the left point
        is above the right (the left hip hiking up), ``name_right`` the opposite.
      - ``twist``: how far the line between the left and right ``points[0]`` is turned
        about the trunk's long axis (mid-hip to mid-shoulder) against the line between the
        left and right ``points[1]``, in degrees, from the 3D (world) landmarks: the knees
        against the shoulders is the lower trunk rotating. Measured on the body, not
        against the camera's level, so a camera above the mat adds nothing. With
        ``side = "each"``, ``name_left`` is how far the left point has turned towards the
        body's front (up, lying on the back), ``name_right`` the opposite; otherwise the
        size of the turn either way.
      - ``inclination``: angle of the segment ``points[0]``->``points[1]`` above the
        horizontal (degrees, -90..90), whichever way the person faces.
      - ``sagittal_angle``: the angle at ``points[1]`` in the body's own sagittal plane, from
        the model's 3D (world) landmarks: the midpoints of the left and right points,
        projected onto the plane across the hip axis. 180 is straight; the angle closes as
        ``points[2]`` swings to the front of the body (a hip flexing) and passes 180 as it
        swings behind (extension past straight). The same from any camera angle. With
        ``side = "each"``, ``"max"`` or ``"min"``, each side's own points instead of the
        midpoints (a limb raised alone, as a bird-dog's leg), the hip axis still setting
        the plane.
      - ``sagittal_height``: how far ``points[0]`` lies from the line ``points[1]``-``points[2]``
        in the body's own sagittal plane, from the 3D (world) landmarks (the midpoints of the
        left and right points, as ``sagittal_angle``), in lengths of the trunk (mid-shoulder
        to mid-hip) in that plane. Positive towards the body's back: above the back line on
        all fours, whichever way the camera looks.
    """

    kind: SignalKind
    points: tuple[str, ...]
    side: SideSpec = "near"
    unit: str = Field(
        "",
        description="deg for angles (the default); distances are in torso lengths ('torso', "
        "the default) or as scaled, e.g. '% torso' with scale = 100",
    )
    scale: float = Field(
        1.0,
        gt=0.0,
        description="Multiply the measured value (e.g. 100 for per cent of torso length, so a "
        "distance can be combined with an angle in degrees)",
    )
    label: str = ""
    min_visibility: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Landmarks the model is less sure of are missing for this signal (lower it "
        "for far-side limbs; the landmark smoothing keeps what the lowest signal accepts)",
    )
    beyond: Literal["up", "down"] = Field(
        "up",
        description="signed_angle: the side of the outer points' line where the vertex lies "
        "when the joint is extended past straight (up for a supine bridge's hips, down for a "
        "bird-dog's hip when the leg rises above the back line)",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_unit(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("unit"):
            angle = data.get("kind") in ANGLE_KINDS
            return {**data, "unit": "deg" if angle else "torso"}
        return data

    @model_validator(mode="after")
    def _check_points(self) -> SignalSpec:
        if (self.kind in ANGLE_KINDS) != (self.unit == "deg"):
            raise ValueError(
                f"a {self.kind!r} signal is in {'deg' if self.kind in ANGLE_KINDS else 'torso'}"
                f", not {self.unit!r}"
            )
        needed = {
            "angle": (3,), "signed_angle": (3,), "height": (3,), "along": (3,),
            "side_gap": (1,), "elevation": (1,), "inclination": (2,), "drop": (2,),
            "roll": (1, 2), "twist": (2,), "sagittal_angle": (3,), "sagittal_height": (3,),
        }  # fmt: skip
        if len(self.points) not in needed[self.kind]:
            counts = " or ".join(map(str, needed[self.kind]))
            raise ValueError(
                f"a {self.kind!r} signal takes {counts} points, got {len(self.points)}"
            )
        unknown = [p for p in self.points if p not in _POINTS]
        if unknown:
            raise ValueError(f"unknown body point(s) {unknown}; known: {sorted(_POINTS)}")
        return self


# The counting strategies (``kind``) and the parameters each reads, beyond the signal,
# direction and reference every one has. Everything else that shapes counting is fixed in
# code, with the reason beside it (analysis/segment.py, analysis/counter.py).
_SHARED_PARAMS = frozenset(
    {
        "kind",
        "signal",
        "direction",
        "reference",
        "signal_oblique",
        "min_hold_seen",
        "min_signal_range",
    }
)
STRATEGY_PARAMS: dict[str, frozenset[str]] = {
    # Lift from the patient's own rest by ``top`` and back.
    "reps": frozenset({"top", "min_top_s", "min_rep_s", "max_rep_s", "max_lift_s"}),
    # Held past ``top`` from the patient's own rest, or (reference "absolute") in a position
    # entered past the level ``top`` and left back past the level ``start``.
    "holds": frozenset(
        {"start", "top", "min_top_s", "min_rep_s", "max_rep_s", "max_lift_s"}
        | {"either_way", "hold_plateau", "long_hold_s"}
    ),
    # One swing each way of at least ``top``, each past the patient's centre by ``hysteresis``.
    "cycles": frozenset({"top", "hysteresis", "min_top_s"}),
}


class CountingSpec(_Strict):
    """What makes a repetition, hold or cycle: a counting strategy (``kind``) and the few
    parameters it reads (:data:`STRATEGY_PARAMS`), in the signal's own unit.

    ``reps``: the signal rises from the patient's own rest by ``top`` (the lift worth
    counting) and comes back; it counts once held at its top ``min_top_s``, so a clip that
    ends at the top still counts it. ``holds``: the same rise, timed (``reference =
    "baseline"``), or a position held past the fixed level ``top`` until the body comes
    back past ``start`` (``reference = "absolute"``). ``cycles``: one swing each way of at
    least ``top`` across the patient's own centre, each past it by ``hysteresis``.
    """

    kind: CountingKind
    signal: str
    direction: Direction = "up"
    reference: Reference = "baseline"
    start: float | None = Field(
        None, description="holds at absolute levels: the level that leaves the position"
    )
    top: float
    hysteresis: float = Field(
        0.0, ge=0.0, description="cycles: how far past the patient's centre each swing goes"
    )
    min_rep_s: float = Field(0.8, ge=0.0)
    min_top_s: float = Field(0.0, ge=0.0)
    min_hold_seen: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="A signal seen on fewer than this share of a rep's hold frames has no hold "
        "statistics (hold_mean, hold_max: not judged), so a far limb glimpsed on the way up "
        "and hidden at the top is not judged as held low",
    )
    hold_plateau: float | None = Field(
        None,
        gt=0.0,
        lt=1.0,
        description="holds: time the hold on its own plateau (from the first to the last frame "
        "at least this share of the way from where the hold started to its held level) instead "
        "of the time past the target, for a subtle hold whose size varies with the camera angle "
        "and can settle just under the target while it is held",
    )
    long_hold_s: float | None = Field(
        None,
        gt=0.0,
        description="holds from the patient's own rest: a hold whose plateau (the time at least "
        "half way up its own rise) lasts this long counts from half of ``top``, if it gets half "
        "way there within half of ``max_lift_s``. The movement's size in the picture depends on "
        "the camera and on where the body lies; a sigh, a fidget or an attempt given up lasts "
        "under two seconds, and landmark wander rises slowly (needs ``max_lift_s``)",
    )
    either_way: bool = Field(
        False,
        description="A recorded clip may show the movement going either way from rest (people "
        "differ in how a subtle movement moves the landmarks); the clip decides: the way "
        "away from the level it opens at. Live counting follows ``direction``",
    )
    signal_oblique: str | None = Field(
        None,
        description="The signal that counts a recorded clip in place of ``signal`` when the "
        "camera does not look at the side of the body, where the picture foreshortens the "
        "movement: a 3D signal in the body's own plane (sagittal_angle or sagittal_height), "
        "which the view does not change, or a consensus, whose parts' directions the clip "
        "shows and whose scale is only ever compared with the patient's own rest",
    )
    max_rep_s: float = Field(120.0, gt=0.0)
    max_lift_s: float | None = Field(
        None,
        gt=0.0,
        description="A rep that takes longer than this from its last moment at rest (or "
        "still, at any level below the target) to the target is drift, not a movement, and "
        "is not counted",
    )
    min_signal_range: float = Field(
        0.0,
        ge=0.0,
        description="Below this range over the clip, the signal is too weak to judge. Set (> 0) "
        "for a subtle movement, a clip with no complete rep is also 'cannot judge', not 0 reps",
    )

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, data: object) -> object:
        # Definitions written before the oblique signal could be a picture consensus.
        if isinstance(data, dict) and "signal_3d" in data:
            raise ValueError("signal_3d is now called signal_oblique: rename it")
        return data

    @model_validator(mode="after")
    def _check_thresholds(self) -> CountingSpec:
        allowed = _SHARED_PARAMS | STRATEGY_PARAMS[self.kind]
        fields = type(self).model_fields
        extra = sorted(
            k for k in self.model_fields_set - allowed if getattr(self, k) != fields[k].default
        )
        if extra:
            reads = ", ".join(sorted(STRATEGY_PARAMS[self.kind]))
            raise ValueError(
                f"{', '.join(extra)}: not read by the {self.kind!r} counting strategy "
                f"(it reads {reads})"
            )
        if self.hold_plateau is not None and self.kind != "holds":
            raise ValueError("hold_plateau is for holds (reps are always timed on their plateau)")
        if self.long_hold_s is not None and self.reference == "absolute":
            raise ValueError("long_hold_s is for holds from the patient's own rest")
        if self.long_hold_s is not None and self.max_lift_s is None:
            raise ValueError("long_hold_s needs max_lift_s: a long hold must be entered briskly")
        if self.kind == "cycles":
            if self.top <= 0:
                raise ValueError("cycles need top > 0 (the swing either side of the centre)")
            return self
        if self.reference == "absolute":
            if self.kind != "holds" or self.start is None:
                raise ValueError("reference 'absolute' is for holds, with a 'start' level")
            ok = self.top > self.start if self.direction == "up" else self.top < self.start
            if not ok:
                raise ValueError(
                    f"direction {self.direction!r} needs top "
                    f"{'>' if self.direction == 'up' else '<'} start, got start={self.start}, "
                    f"top={self.top}"
                )
            return self
        if self.start is not None:
            raise ValueError("start is the level that leaves a position: for absolute holds")
        if self.top <= 0:
            raise ValueError(
                "top is the lift worth counting, from the patient's own rest: more than 0 "
                "(direction says which way)"
            )
        return self


# The keys of one test; a rule written without `any_of` is one test.
TEST_KEYS = (
    "metric", "op", "value", "unit",
    "when_metric", "when_op", "when_value", "when_unit", "when_hidden",
)  # fmt: skip


class FaultTest(_Strict):
    """One test of a fault: a per-rep metric compared with a threshold, perhaps only when a
    second metric meets a condition.

    ``metric`` is ``<stat>.<signal>`` with stat one of peak, max, min, mean,
    range, rise, drop, hold_mean, hold_max, hold_rise (hold mean minus the value at
    the rep's start), or a timing: lift_s, hold_s, lower_s, duration_s. A definition
    writes it as one sentence, ``rule = "peak hip_angle < 165 deg"`` (exercises/rules.py);
    the metric must exist and the threshold lie in its plausible range
    (exercises/quantities.py). ``{side}`` and ``{other}`` in a metric name become the
    rep's side and the opposite side (bird-dog). ``when`` restricts the test to reps
    where a second metric meets a condition (e.g. arms reaching forward).
    """

    metric: str
    op: Op
    value: float
    unit: str | None = Field(None, description="The threshold's unit, checked against the metric's")
    when_metric: str | None = None
    when_op: Op | None = None
    when_value: float | None = None
    when_unit: str | None = None
    when_hidden: Literal["skip", "met", "only"] = Field(
        "skip",
        description="If the when metric cannot be measured (its limb hidden from the camera, "
        "or out of the picture): skip the test (default), count the condition as met ('met'); "
        "or 'only': judge the test only then (e.g. the raised arm hidden behind the body), "
        "with `when` naming just the hidden metric",
    )

    @model_validator(mode="after")
    def _check_when(self) -> FaultTest:
        if self.when_hidden == "only":
            if self.when_metric is None or self.when_op is not None:
                raise ValueError(
                    "when_hidden = 'only' needs `when` to name just the hidden metric, "
                    "e.g. 'hold_max arm_raise_{side}'"
                )
            return self
        parts = (self.when_metric, self.when_op, self.when_value)
        if any(p is not None for p in parts) and not all(p is not None for p in parts):
            raise ValueError("when_metric, when_op and when_value go together")
        if self.when_hidden == "met" and self.when_metric is None:
            raise ValueError("when_hidden = 'met' needs a `when` condition")
        return self


class FaultRule(_Strict):
    """A named fault: one test, or several alternatives in ``any_of`` (any one fires it).

    A physiotherapist reads one rule per fault: ``same_side`` is one rule whose
    alternatives each say how a hidden arm is judged (``when_hidden``), rather than
    several rules that happen to share an id. A rule written without ``any_of`` (its
    test's keys at the top) is a rule of one test. Several rules may still share an id
    when each needs its own cue (any of them fires it). ``unless`` yields to other
    faults on the same rep. A test whose metric could not be measured in a rep
    (landmark hidden, rep cut by the clip's end) is not judged rather than guessed.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    any_of: tuple[FaultTest, ...] = Field(
        ...,
        min_length=1,
        description="The tests, in order; the first that fires gives the reported value",
    )
    severity: Literal["info", "warning", "error"] = "warning"
    cue: str
    explanation: str
    unless: tuple[str, ...] = Field(
        (),
        description="Fault ids that take precedence: if one of them fires on the same rep, "
        "this one is not reported (it is their consequence, not a second mistake)",
    )

    @model_validator(mode="before")
    @classmethod
    def _one_test(cls, data: object) -> object:
        # A rule of one test: its keys at the top, gathered into a one-item any_of.
        if not isinstance(data, dict) or "any_of" in data:
            if isinstance(data, dict):
                stray = [k for k in TEST_KEYS if k in data]
                if stray:
                    raise ValueError(f"{stray[0]}: write it in each any_of item, not beside any_of")
            return data
        test = {k: data[k] for k in TEST_KEYS if k in data}
        rest = {k: v for k, v in data.items() if k not in TEST_KEYS}
        return {**rest, "any_of": [test]}


class PrescriptionSpec(_Strict):
    kind: Literal["rep", "hold", "cycle"]
    target_count: int | None = Field(None, ge=0)
    target_count_max: int | None = Field(None, ge=0)
    hold_s: float | None = Field(None, ge=0)
    duration_s: float | None = Field(None, ge=0)
    duration_max_s: float | None = Field(None, ge=0)
    per_side: bool = False
    text: str

    @model_validator(mode="after")
    def _check_range(self) -> PrescriptionSpec:
        lo, hi = self.target_count, self.target_count_max
        if lo is not None and hi is not None and hi < lo:
            raise ValueError(f"target_count_max {hi} is below target_count {lo}")
        return self


class ViewSpec(_Strict):
    """Camera and framing needs: which points must be in the picture."""

    required: Literal["side", "any"] = "side"
    max_side_ratio: float = Field(
        0.45, gt=0, description="Shoulder and hip width over torso length above this = not side-on"
    )
    need_in_frame: tuple[str, ...] = ("shoulder", "hip", "knee")
    in_frame_margin: float = Field(0.01, ge=0, lt=0.5)


class ConsensusSpec(_Strict):
    """A movement seen in several signals at once, each moving its own way."""

    parts: tuple[str, ...] = Field(
        ..., min_length=2, description="the signals that move together (measured or combined)"
    )
    signs: tuple[Literal[-1, 1], ...] = Field(
        ...,
        description="how each part usually moves with the movement (+1 with it, -1 against "
        "it): used live; a recorded clip learns each part's sign from how the parts move "
        "together over the whole clip, as people and camera angles differ",
    )
    unit: str = Field(..., description="the unit of the sum (the parts' units may differ)")
    label: str = ""

    @model_validator(mode="after")
    def _same_length(self) -> ConsensusSpec:
        if len(self.signs) != len(self.parts):
            raise ValueError(f"consensus: {len(self.parts)} parts but {len(self.signs)} signs")
        return self


class RecognitionVariant(_Strict):
    """The exercise done in another position, as some patients are taught it (a pelvic tilt
    on hands and knees): a candidate when that posture is seen, named when its own cues hold.
    Its form rules are written for the definition's position, so none is judged there."""

    position: Position
    cues: tuple[str, ...] = Field(min_length=1)


class RecognitionSpec(_Strict):
    """How ``--exercise auto`` tells this exercise from the others done in its position.

    ``cues`` are sentences about the whole clip or photo (exercises/rules.py,
    ``parse_cue``), all of which must hold: e.g. ``"range hip_angle >= 20 deg or
    high hip_angle >= 172 deg"`` for a bridge (hips lifting through tens of degrees in a
    clip, or held high in a photo). Among the exercises of the posture seen whose cues
    hold, the one with the most cues (the most specific) is chosen; an exercise with
    none is its position's default. When none holds the clip is flagged as not one of
    the registered exercises. ``variants``: the same exercise done in another position.
    """

    cues: tuple[str, ...] = ()
    variants: tuple[RecognitionVariant, ...] = ()


class Cues(_Strict):
    setup: str = "Get into the starting position, side-on to the camera"
    rest: str = ""
    top: str = ""


class ExerciseSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    aliases: tuple[str, ...] = ()
    position: Position
    programmes: tuple[str, ...] = Field(
        (), description="Programmes this exercise belongs to (`formcheck live --program NAME`)"
    )
    order: int = Field(1000, description="Place in a programme and in listings (lowest first)")
    description: str
    instructions: tuple[str, ...] = ()
    view: ViewSpec = ViewSpec()
    prescription: PrescriptionSpec
    signals: dict[str, SignalSpec]
    counting: CountingSpec
    sample_fps: float | None = Field(
        None,
        gt=0.0,
        description="Frames a second the pose model must see for this exercise (--stride auto "
        "models every k-th frame of a recorded clip, k = clip fps // sample_fps); set from its "
        "fastest meaningful movement. Unset: every frame",
    )
    side_max: dict[str, str] = Field(
        default_factory=dict,
        description="name -> a signal with side='each': the side raised furthest above its own "
        "rest level (learned while the patient rests), and its reading shifted by how far that "
        "rest sits above the other side's. Unlike side='max' it is not fooled by the two sides "
        "resting at different readings (oblique views)",
    )
    derived: dict[str, tuple[str, str]] = Field(
        default_factory=dict,
        description="name -> [a, b]: a signal that is signal a minus signal b (combining cues); "
        "a and b may be measured signals or derived ones defined above",
    )
    sums: dict[str, tuple[str, str]] = Field(
        default_factory=dict,
        description="name -> [a, b]: a signal that is signal a plus signal b (combining cues)",
    )
    mixed_units: dict[str, str] = Field(
        default_factory=dict,
        description="name -> unit of a derived or summed signal whose parts have different "
        "units: combining them is an error unless declared here, on purpose",
    )
    consensus: dict[str, ConsensusSpec] = Field(
        default_factory=dict,
        description="name -> a signal that is the signed sum of parts moving together; the "
        "parts' signs are learned from each recorded clip",
    )
    side_signal: str | None = Field(
        None,
        description="For one-sided reps: a signal with side='max' or a side_max signal, whose "
        "winning side names the rep",
    )
    plot_signals: tuple[str, ...] = ()
    faults: tuple[FaultRule, ...] = ()
    cues: Cues = Cues()
    recognition: RecognitionSpec = RecognitionSpec()

    @model_validator(mode="after")
    def _check_references(self) -> ExerciseSpec:
        measured = set(self._measured_names())
        for name, source in self.side_max.items():
            spec = self.signals.get(source)
            if spec is None or spec.side != "each":
                raise ValueError(
                    f"side_max signal {name!r}: {source!r} is not a side='each' signal"
                )
            if name in measured:
                raise ValueError(f"side_max signal {name!r} is already a measured signal")
        # Combined signals may use measured ones and any combined one defined before them.
        known = measured | set(self.side_max)
        for table in ("derived", "sums"):
            for name, (a, b) in getattr(self, table).items():
                missing = [x for x in (a, b) if x not in known]
                if missing:
                    raise ValueError(f"{table} signal {name!r} uses undefined signal(s) {missing}")
                known.add(name)
        for name, spec in self.consensus.items():
            missing = [x for x in spec.parts if x not in known]
            if missing:
                raise ValueError(f"consensus signal {name!r} uses undefined signal(s) {missing}")
            known.add(name)
        # Overrides address a fault's tests by metric, so no two tests of a fault share one.
        seen: set[tuple[str, str]] = set()
        ids = {rule.id for rule in self.faults}
        for rule in self.faults:
            unknown = [u for u in rule.unless if u not in ids or u == rule.id]
            if unknown:
                raise ValueError(f"fault {rule.id!r}: unless names no other fault: {unknown}")
            for test in rule.any_of:
                if (rule.id, test.metric) in seen:
                    raise ValueError(f"fault {rule.id!r} has two tests on {test.metric!r}")
                seen.add((rule.id, test.metric))
        names = set(self.signal_names())
        if self.counting.signal not in names:
            raise ValueError(f"counting.signal {self.counting.signal!r} is not a defined signal")
        oblique = self.counting.signal_oblique
        in_3d = oblique in self.signals and self.signals[oblique].kind in SAGITTAL_KINDS
        relative = oblique in self.consensus and self.counting.reference != "absolute"
        if oblique is not None and not (in_3d or relative):
            raise ValueError(
                f"counting.signal_oblique {oblique!r} is neither a defined sagittal_angle or "
                "sagittal_height signal nor a consensus counted from the patient's own rest"
            )
        for s in self.plot_signals:
            if s not in names:
                raise ValueError(f"plot_signals: {s!r} is not a defined signal")
        if self.side_signal is not None and self.side_signal not in names:
            raise ValueError(f"side_signal {self.side_signal!r} is not a defined signal")
        for name in self.mixed_units:
            if name not in self.derived and name not in self.sums:
                raise ValueError(f"mixed_units: {name!r} is not a derived or summed signal")
        signal_quantities(self)  # units: no undeclared mix
        check_rules(self)  # metrics exist, thresholds plausible
        check_cues(self)
        return self

    def signal_names(self) -> list[str]:
        """Every signal name: ``side='each'`` gives ``_left``/``_right``; combined ones last."""
        return [
            *self._measured_names(),
            *self.side_max,
            *self.derived,
            *self.sums,
            *self.consensus,
        ]

    def _measured_names(self) -> list[str]:
        out: list[str] = []
        for name, spec in self.signals.items():
            if spec.side == "each":
                out += [f"{name}_left", f"{name}_right"]
            else:
                out.append(name)
        return out

    def recognition_cues(self, position: str) -> tuple[str, ...] | None:
        """The cues that name this exercise when ``position`` is seen (None: not done there)."""
        if position == self.position:
            return self.recognition.cues
        variants = self.recognition.variants
        return next((v.cues for v in variants if v.position == position), None)

    def fault_ids(self) -> list[str]:
        """Distinct fault ids in definition order (several rules may share an id)."""
        return list(dict.fromkeys(f.id for f in self.faults))
