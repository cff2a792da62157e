"""Load exercise definitions and apply a patient's overrides, strictly.

A patient config (``--config patient.toml``) looks like::

    patient = "J. Smith"

    [exercises.bridge.prescription]
    target_count = 12

    [exercises.bridge.counting]
    top = 148.0

    [exercises.bird_dog.faults.leg_too_high]  # a fault judged by one rule
    value = 210.0

    [exercises.bridge.faults.sagging_hips."peak.hip_angle"]  # one of several rules
    value = 160.0

    [exercises.bridge.faults.feet_lifting]   # cue, severity, enabled: every rule
    enabled = false

A fault judged by several tests (an ``any_of`` rule's alternatives, or several
rules of one id, each on its own metric) takes its thresholds per test, keyed by
the test's metric; setting ``value`` for all of them at once would be ambiguous
and is an error. ``enabled = false`` in a test's table drops that alternative.

Unknown exercises, fault ids, keys or bad values are errors that name the
offending key; nothing is silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomllib
from pydantic import ValidationError

from formcheck.errors import ConfigError
from formcheck.exercises import registry
from formcheck.exercises.registry import exercise_ids, resolve_id
from formcheck.exercises.schema import TEST_KEYS, ExerciseSpec


def _format_validation(err: ValidationError, where: str) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    msg = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{where}: {loc + ': ' if loc else ''}{msg}{more}"


def _builtin_raw(exercise_id: str) -> dict[str, Any]:
    return registry.definitions()[exercise_id].raw


def builtin(exercise_id: str) -> ExerciseSpec:
    """The registered definition of an exercise (by id or alias), validated."""
    ex_id = resolve_id(exercise_id)
    return _validated(ex_id, registry.definitions()[ex_id].path)


def _validated(ex_id: str, where: str) -> ExerciseSpec:
    try:
        return ExerciseSpec.model_validate(_builtin_raw(ex_id))
    except ValidationError as err:
        raise ConfigError(_format_validation(err, where)) from None


def all_builtin() -> list[ExerciseSpec]:
    """Every registered exercise, validated, in programme order."""
    return [builtin(i) for i in exercise_ids()]


def _merge(base: dict[str, Any], over: dict[str, Any], path: str) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        # A setting the built-in file leaves at its default may be set too; a key the
        # schema does not know is rejected when the result is validated.
        if isinstance(base.get(key), dict) and isinstance(value, dict):
            out[key] = _merge(base[key], value, f"{path}.{key}")
        else:
            out[key] = value
    return out


# Keys that belong to one test, as opposed to the fault's cue, severity or switch.
_TEST_KEYS = frozenset(TEST_KEYS)


def _tests_of(rule: dict[str, Any]) -> list[dict[str, Any]]:
    """A raw rule's tests: its ``any_of``, or the rule itself when it is one test."""
    tests = rule.get("any_of")
    return list(tests) if isinstance(tests, list) else [rule]


def _changed_rule(
    rule: dict[str, Any],
    rules: list[dict[str, Any]],
    change: dict[str, Any],
    path: str,
    table: str,
) -> dict[str, Any] | None:
    """One rule with the fault's override applied (shared keys, plus each test's own
    ``"<metric>"`` table); None when it is switched off."""
    fid = rule["id"]
    siblings = [r for r in rules if r["id"] == fid]
    metrics = [t["metric"] for r in siblings for t in _tests_of(r)]
    shared = {k: v for k, v in change.items() if not isinstance(v, dict)}
    own = {k: v for k, v in change.items() if isinstance(v, dict)}
    unknown = [k for k in own if k not in metrics]
    if unknown:
        raise ConfigError(
            f"{path}.{fid}.{unknown[0]}: no such test; the tests of {fid} are: {', '.join(metrics)}"
        )
    ambiguous = sorted(_TEST_KEYS & set(shared))
    if len(siblings) > 1 and "unless" in shared:
        ambiguous.append("unless")
    if ambiguous and len(metrics) > 1:
        raise ConfigError(
            f"{path}.{fid}.{ambiguous[0]}: {fid} is judged by {len(metrics)} tests "
            f'({", ".join(metrics)}); set it per test, e.g. [{table}.{fid}."{metrics[0]}"]'
        )
    where = f"{path}.{fid}"
    if "any_of" not in rule:  # one test: its table and the fault's keys alike
        merged = {**shared, **own.get(rule["metric"], {})}
        if not _enabled(merged.pop("enabled", True), where):
            return None
        return _merge(rule, merged, where)
    if not _enabled(shared.pop("enabled", True), where):
        return None
    tests = []
    for test in rule["any_of"]:
        test_change = dict(own.get(test["metric"], {}))
        if not _enabled(test_change.pop("enabled", True), f'{where}."{test["metric"]}"'):
            continue
        stray = sorted(set(test_change) - _TEST_KEYS)
        if stray:
            raise ConfigError(
                f'{where}."{test["metric"]}".{stray[0]}: set it for the whole fault, '
                f"in [{table}.{fid}]"
            )
        test_shared = {k: v for k, v in shared.items() if k in _TEST_KEYS}
        tests.append(_merge(test, {**test_shared, **test_change}, where))
    if not tests:
        return None
    rest = {k: v for k, v in shared.items() if k not in _TEST_KEYS}
    return {**_merge(rule, rest, where), "any_of": tests}


def _enabled(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}.enabled: expected true or false")
    return value


def apply_overrides(exercise_id: str, overrides: dict[str, Any], source: str) -> ExerciseSpec:
    """Apply one exercise's override table to its built-in definition and validate."""
    raw = _builtin_raw(exercise_id)
    path = f"{source}: exercises.{exercise_id}"
    if not isinstance(overrides, dict):
        raise ConfigError(f"{path}: expected a table")
    over = dict(overrides)
    fault_over = over.pop("faults", {})
    if not isinstance(fault_over, dict):
        raise ConfigError(f"{path}.faults: expected tables keyed by fault id")
    merged = _merge({k: v for k, v in raw.items() if k != "faults"}, over, path)
    known = {f["id"] for f in raw.get("faults", [])}
    faults: list[dict[str, Any]] = []
    for fid, change in fault_over.items():
        if fid not in known:
            raise ConfigError(
                f"{path}.faults.{fid}: unknown fault; known: {', '.join(sorted(known))}"
            )
        if not isinstance(change, dict):
            raise ConfigError(f"{path}.faults.{fid}: expected a table")
    rules = raw.get("faults", [])
    for rule in rules:
        changed = _changed_rule(
            rule,
            rules,
            fault_over.get(rule["id"], {}),
            f"{path}.faults",
            f"exercises.{exercise_id}.faults",
        )
        if changed is not None:
            faults.append(changed)
    merged["faults"] = faults
    try:
        return ExerciseSpec.model_validate(merged)
    except ValidationError as err:
        raise ConfigError(_format_validation(err, path)) from None


@dataclass(frozen=True)
class PatientConfig:
    """What a physiotherapist set for one patient."""

    patient: str | None = None
    exercises: dict[str, ExerciseSpec] = field(default_factory=dict)
    raw_overrides: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def exercise(self, exercise_id: str) -> ExerciseSpec:
        ex_id = resolve_id(exercise_id)
        return self.exercises.get(ex_id) or builtin(ex_id)


def load_config(path: Path | None) -> PatientConfig:
    """Read and validate a patient config file; ``None`` gives the defaults."""
    if path is None:
        return PatientConfig()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"config path is a directory: {path}") from None
    except PermissionError:
        raise ConfigError(f"cannot read config file (permission denied): {path}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None
    unknown = set(data) - {"patient", "exercises"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level setting(s): {', '.join(sorted(unknown))}")
    patient = data.get("patient")
    if patient is not None and not isinstance(patient, str):
        raise ConfigError(f"{path}: patient must be a string")
    tables = data.get("exercises", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{path}: exercises must be a table")
    # Tables may name an exercise by id or alias; merge them per exercise so none is lost.
    by_id: dict[str, dict[str, Any]] = {}
    for name, over in tables.items():
        if not isinstance(over, dict):
            raise ConfigError(f"{path}: exercises.{name}: expected a table")
        by_id[resolve_id(name)] = _deep_union(by_id.get(resolve_id(name), {}), over)
    specs = {ex_id: apply_overrides(ex_id, over, str(path)) for ex_id, over in by_id.items()}
    return PatientConfig(patient=patient, exercises=specs, raw_overrides=by_id, source=str(path))


def _deep_union(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = _deep_union(out[key], value)
        else:
            out[key] = value
    return out
