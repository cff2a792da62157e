"""Security and privacy: no shell, no network, escaped HTML, models only from where named."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from robust_helpers import (
    FORMCHECK,
    REPO,
    assert_ok,
    assert_one_line_error,
    invoke,
    plain_frames,
    read_json,
    write_video,
)

from factories import bridge_rep, profile, sequence
from formcheck.pose.recording import PoseRecording

SRC = REPO / "src" / "formcheck"


def _calls(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            out.append((ast.unparse(node.func), node))
    return out


_SHELL_CALLS = {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"}


def test_no_shell_anywhere_in_the_package() -> None:
    """User strings (paths, names) must never reach a shell."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for name, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if name in {
                "os.system",
                "os.popen",
                "subprocess.getoutput",
                "subprocess.getstatusoutput",
            }:
                offenders.append(f"{path.relative_to(REPO)}: {name}")
            for kw in call.keywords:
                if kw.arg == "shell" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    offenders.append(f"{path.relative_to(REPO)}: {name}(shell=...)")
    assert offenders == []


def test_models_are_never_fetched() -> None:
    """The pose code reads the wheel's files or the path given: no URL, no HTTP client."""
    for path in (SRC / "pose").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("http://", "https://", "urllib", "requests", "urlopen", "socket"):
            assert word not in text, f"{path.name} mentions {word}"


# --- no network at run time -------------------------------------------------------------

BLOCK_SOCKETS = """
import socket, sys

def _no_network(event, args):
    if event in ("socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto"):
        raise OSError(f"network access attempted during the test: {event} {args!r}")

sys.addaudithook(_no_network)

def _refuse(*args, **kwargs):
    raise OSError("network access attempted during the test")

socket.create_connection = _refuse
"""


def _unshare_works() -> bool:
    tool = shutil.which("unshare")
    if tool is None:
        return False
    return subprocess.run([tool, "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.slow  # a real process loading MediaPipe
@pytest.mark.parametrize("how", ["audit hook", "no network namespace"])
def test_analyze_runs_with_the_network_blocked(tmp_path: Path, how: str) -> None:
    clip = write_video(tmp_path / "clip.mp4", plain_frames(15))
    out = tmp_path / "r.json"
    env = {**os.environ, "NO_COLOR": "1"}
    cmd = [str(FORMCHECK), "analyze", str(clip), "-e", "bridge", "--json", str(out), "-q"]
    if how == "audit hook":
        hook = tmp_path / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(BLOCK_SOCKETS)
        env["PYTHONPATH"] = str(hook)
        # The hook is live: a connection attempt in that environment fails.
        probe = subprocess.run(
            [sys.executable, "-c", "import socket; socket.getaddrinfo('localhost', 80)"],
            env=env,
            capture_output=True,
        )
        assert probe.returncode != 0 and b"network access attempted" in probe.stderr
    else:
        if not _unshare_works():
            pytest.skip("unshare -n is not available (needs root or user namespaces)")
        cmd = ["unshare", "-n", *cmd]  # C++ code (MediaPipe) cannot reach a network either
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    # The clip shows an empty room: analyze exits 1 saying so, after writing the report.
    assert done.returncode == 1, done.stderr
    assert "no person found" in done.stderr
    assert "Traceback" not in done.stderr
    assert read_json(out)["source"]["frames"] == 15


# --- HTML escapes every user string -----------------------------------------------------


def test_html_report_escapes_file_names_and_patient_names(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    f = profile([*bridge_rep() * 2, (1.0, 125.0)], 125.0)
    folder = tmp_path / hostile
    folder.mkdir()
    recording = folder / f"{hostile}.npz"
    PoseRecording.from_frames(sequence(f, duration=f.duration), fps=30, model_id=hostile).save(
        recording
    )
    config = tmp_path / "patient.toml"
    config.write_text(f'patient = "{hostile}</script><script>alert(2)</script>"\n')
    html = tmp_path / "r.html"
    result = invoke(
        "analyze", recording.with_suffix(".mp4"), "--poses", recording, "-e", "bridge",
        "--config", config, "--html", html, "-q",
    )  # fmt: skip
    assert_ok(result)
    text = html.read_text(encoding="utf-8")
    assert "<img src=x" not in text and "<script>alert(2)" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


# --- model files only from the package or the path given --------------------------------


def _zip_without_model(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a model")
    return path


MODELS = {
    "missing": (lambda d: d / "nope.task", "model file not found"),
    "not a zip": (lambda d: _write(d / "m.task", b"\x00garbage" * 100), "not a PoseLandmarker"),
    "zip without a model": (lambda d: _zip_without_model(d / "z.task"), "cannot load pose model"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", list(MODELS))
def test_bad_model_file_gives_one_line(tmp_path: Path, case: str) -> None:
    make, words = MODELS[case]
    clip = write_video(tmp_path / "clip.mp4", plain_frames(3))
    result = invoke("analyze", clip, "-e", "bridge", "--model", make(tmp_path), "-q")
    assert_one_line_error(result, words)


# --- faces blurred in exports -----------------------------------------------------------


def test_exports_blur_faces_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI asks the pipeline for blurred faces by default (the blur itself is tested in
    tests/render/test_render_face_blur.py)."""
    import formcheck.pipeline
    from formcheck.errors import InputError

    seen: list[bool] = []

    def fake_analyze_clip(*args: object, blur_faces: bool, **kwargs: object) -> None:
        seen.append(blur_faces)
        raise InputError("stop here")

    monkeypatch.setattr(formcheck.pipeline, "analyze_clip", fake_analyze_clip)
    clip = tmp_path / "c.mp4"
    invoke("analyze", clip, "-e", "bridge", "--video", tmp_path / "v.webm", "-q")
    invoke("analyze", clip, "-e", "bridge", "--video", tmp_path / "v.webm", "--no-blur", "-q")
    assert seen == [True, False]
