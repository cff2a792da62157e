"""``formcheck history FOLDER``: a patient's progress across saved session reports."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from formcheck.cli.app import app


@app.command()
def history(
    folder: Annotated[Path, typer.Argument(help="Folder of session reports (*.json).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Folder for history.html and history.csv [default: FOLDER]."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing history files.")
    ] = False,
) -> None:
    """Trend of reps, range of motion and faults over the sessions in FOLDER."""
    from formcheck.report.history import metric_label, write_history

    console, err = Console(), Console(stderr=True)
    try:
        result, written = write_history(folder, out, force=force)
    except (FileExistsError, NotADirectoryError, PermissionError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise typer.Exit(1) from None
    for line in result.skipped:
        err.print(f"[yellow]skipped[/yellow] {line}", highlight=False)

    table = Table(title=f"{len(result.entries)} sessions in {folder}")
    for col, justify in (
        ("Date", "left"),
        ("Exercise", "left"),
        ("Reps", "right"),
        ("Key metric", "left"),
        ("Mean", "right"),
        ("Faults", "right"),
        ("Quality", "right"),
    ):
        table.add_column(col, justify=justify, no_wrap=col == "Date")  # type: ignore[arg-type]
    for row in result.rows:
        finite = row.key_value is not None and math.isfinite(row.key_value)
        q = row.mean_quality
        table.add_row(
            row.date,
            row.exercise_name,
            f"{row.reps}" + ("" if row.target is None else f"/{row.target}"),
            metric_label(row.key_metric) if row.key_metric else "-",
            f"{row.key_value:.1f}" if finite else "-",
            str(row.faults),
            f"{q:.0%}" if q is not None and math.isfinite(q) else "-",
        )
    console.print(table)
    for path in written:
        console.print(f"wrote {path}", highlight=False)
