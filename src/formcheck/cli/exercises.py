"""``formcheck exercises``: the programme's exercises and the checks each one makes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from formcheck.cli.app import app
from formcheck.cli.common import user_errors
from formcheck.errors import ConfigError

exercises_app = typer.Typer(
    help="List the exercises and their checks, or show one in full.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(exercises_app, name="exercises")
console = Console(highlight=False)


@exercises_app.callback()
def list_exercises(ctx: typer.Context) -> None:
    """List the registered exercises, their prescriptions and fault checks."""
    if ctx.invoked_subcommand is not None:
        return
    from formcheck.exercises.loader import all_builtin

    table = Table(title="formcheck exercises")
    table.add_column("id", style="bold")
    table.add_column("name")
    table.add_column("position")
    table.add_column("prescription")
    table.add_column("checks")
    with user_errors():
        specs = all_builtin()
    for ex in specs:
        table.add_row(ex.id, ex.name, ex.position, ex.prescription.text, ", ".join(ex.fault_ids()))
    console.print(table)


@exercises_app.command("show")
def show(
    exercise: Annotated[str, typer.Argument(help="Exercise id or alias, e.g. bridge.")],
    config: Annotated[
        Path | None, typer.Option(help="Show it with a patient config applied.")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="text (tables) or md (a page for review)")
    ] = "text",
) -> None:
    """Print one exercise's definition: signals, counting rule, faults, cues, prescription."""
    from formcheck.exercises.loader import load_config, resolve_id

    with user_errors():
        if format not in ("text", "md"):
            raise ConfigError(f"--format: {format!r} is not one of text, md")
        ex_id = resolve_id(exercise)
        cfg = load_config(config)
        ex = cfg.exercise(ex_id)
    if format == "md":
        from formcheck.exercises.reference import markdown

        typer.echo(markdown(ex), nl=False)
        return
    # Names and texts may come from a patient config: printed as written, not as markup.
    console.print(
        f"[bold]{escape(ex.name)}[/bold] ({ex.id}) - {ex.position}, {ex.view.required} view"
    )
    console.print(escape(ex.description))
    for step in ex.instructions:
        console.print(f"  - {escape(step)}")
    console.print(f"\n[bold]Prescription:[/bold] {escape(ex.prescription.text)}")
    c = ex.counting
    ref = "from the patient's own rest" if c.reference == "baseline" else c.reference
    levels = f"in past {c.top:g}, out past {c.start:g}" if c.start is not None else f"{c.top:g}"
    console.print(
        f"[bold]Counting:[/bold] {c.kind} of '{c.signal}' ({c.direction}); target {levels} "
        f"({ref}); at least {c.min_top_s:g} s at the target"
        + "".join(
            f"; {label} {value:g}"
            for label, value in (
                ("each swing past the centre by", c.hysteresis),
                ("hold statistics need the signal seen on this share of the hold", c.min_hold_seen),
                ("hold timed from this share of the way to its held level", c.hold_plateau or 0.0),
                ("a hold this long (s) counts from half the target", c.long_hold_s or 0.0),
            )
            if value
        )
    )
    sig = Table(title="Signals")
    for col in ("name", "kind", "points", "side", "meaning"):
        sig.add_column(col)
    for name, s in ex.signals.items():
        sig.add_row(name, s.kind, "-".join(s.points), s.side, s.label)
    for name, source in ex.side_max.items():
        sig.add_row(name, "side_max", source, "raised", "the side furthest above its own rest")
    for name, (a, b) in ex.derived.items():
        sig.add_row(name, "derived", f"{a} - {b}", "", "")
    for name, (a, b) in ex.sums.items():
        sig.add_row(name, "sum", f"{a} + {b}", "", "")
    for name, c in ex.consensus.items():
        signed = zip(c.parts, c.signs, strict=True)
        parts = " ".join(f"{'+' if k > 0 else '-'}{part}" for part, k in signed)
        sig.add_row(name, "consensus", parts, "", c.label)
    console.print(sig)
    faults = Table(title="Fault checks")
    for col in ("id", "rule", "severity", "cue", "for the physiotherapist"):
        faults.add_column(col, overflow="fold")
    for f in ex.faults:
        for i, t in enumerate(f.any_of):
            rule = ("or " if i else "") + f"{t.metric} {t.op} {t.value:g}"
            if t.when_hidden == "only":
                rule += f" (only when {t.when_metric} cannot be measured)"
            elif t.when_metric:
                rule += f" (when {t.when_metric} {t.when_op} {t.when_value:g})"
                if t.when_hidden == "met":
                    rule += " or it cannot be measured"
            if f.unless and i == len(f.any_of) - 1:
                rule += f"; not reported with {', '.join(f.unless)}"
            # An alternative's row names the fault again but not its cue and explanation.
            cue, why = (f.cue, f.explanation) if i == 0 else ("", "")
            faults.add_row(f.id, escape(rule), f.severity, escape(cue), escape(why))
    console.print(faults)
