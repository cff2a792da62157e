"""Build the PoseLandmarker bundles in src/formcheck/models/ from Apache-2.0 sources.

Usage, from the repository root (needs pip and, for lite and heavy, npm):

    .venv/bin/python scripts/build_pose_models.py            # lite + full (committed)
    .venv/bin/python scripts/build_pose_models.py --heavy    # heavy (31 MB, not committed)

Sources, each checked against the sha256 recorded below:

- the person detector and the full landmark network: the ``mediapipe==0.10.21`` wheel
  (the last wheel that ships them; fetched with ``pip download --no-deps``);
- the lite and heavy landmark networks: the npm package ``@mediapipe/pose``
  0.5.1675469404 (fetched with ``npm pack``). Its full network is byte-identical to
  the wheel's.

Heavy takes its detector from the committed full bundle, so it needs only npm.
``--wheel`` and ``--npm`` name files already downloaded. The build is deterministic:
the same sources give the same bytes (models/README.md records each bundle's sha256).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from formcheck.pose.bundle import DETECTOR_MEMBER, build_bundle
from formcheck.pose.models import bundle_file_name

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "formcheck" / "models"

WHEEL_SPEC = "mediapipe==0.10.21"
# Any platform's 0.10.21 wheel carries the same .tflite files; pin one so any machine can fetch it.
WHEEL_PLATFORM = ["--platform", "manylinux_2_28_x86_64", "--python-version", "3.11"]
NPM_SPEC = "@mediapipe/pose@0.5.1675469404"

WHEEL_DETECTOR = "mediapipe/modules/pose_detection/pose_detection.tflite"
WHEEL_FULL = "mediapipe/modules/pose_landmark/pose_landmark_full.tflite"

SOURCE_SHA256 = {
    WHEEL_DETECTOR: "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    WHEEL_FULL: "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    "package/pose_landmark_lite.tflite": (
        "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"
    ),
    "package/pose_landmark_heavy.tflite": (
        "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"
    ),
}

# Metadata name and description per variant; full keeps the words the in-memory
# bundle of formcheck <= 0.1 used, so its bundle is byte-identical to that one.
DESCRIPTIONS = {
    "full": (
        "pose_landmark_full",
        "BlazePose GHUM 3D full landmark model (mediapipe 0.10.21 wheel)",
    ),
    "lite": (
        "pose_landmark_lite",
        "BlazePose GHUM 3D lite landmark model (npm @mediapipe/pose 0.5.1675469404)",
    ),
    "heavy": (
        "pose_landmark_heavy",
        "BlazePose GHUM 3D heavy landmark model (npm @mediapipe/pose 0.5.1675469404)",
    ),
}


def checked(name: str, data: bytes) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256[name]:
        sys.exit(f"error: {name} has sha256 {digest}, expected {SOURCE_SHA256[name]}")
    return data


def fetch_wheel(folder: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:"]
    subprocess.run([*command, *WHEEL_PLATFORM, WHEEL_SPEC, "-d", str(folder)], check=True)
    return next(folder.glob("mediapipe-0.10.21-*.whl"))


def fetch_npm(folder: Path) -> Path:
    subprocess.run(["npm", "pack", "--silent", NPM_SPEC], cwd=folder, check=True)
    return next(folder.glob("mediapipe-pose-*.tgz"))


def read_wheel(wheel: Path, member: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return checked(member, archive.read(member))


def read_npm(tgz: Path, variant: str) -> bytes:
    member = f"package/pose_landmark_{variant}.tflite"
    with tarfile.open(tgz) as archive:
        handle = archive.extractfile(member)
        if handle is None:
            sys.exit(f"error: {member} is missing from {tgz}")
        return checked(member, handle.read())


def committed_detector(out: Path) -> bytes:
    """The detector inside the committed full bundle (so heavy needs no wheel)."""
    full = out / bundle_file_name("full")
    if not full.is_file():
        sys.exit(f"error: {full} is missing; build lite and full first")
    with zipfile.ZipFile(io.BytesIO(full.read_bytes())) as archive:
        return checked(WHEEL_DETECTOR, archive.read(DETECTOR_MEMBER))


def write_bundle(out: Path, variant: str, detector: bytes, landmarks: bytes) -> None:
    bundle = build_bundle(detector, landmarks, *DESCRIPTIONS[variant])
    path = out / bundle_file_name(variant)
    temporary = path.with_suffix(".task.partial")
    temporary.write_bytes(bundle)
    temporary.replace(path)  # never leave a half-written bundle where formcheck looks
    digest = hashlib.sha256(bundle).hexdigest()
    print(
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
        f"{len(bundle):,} bytes, sha256 {digest}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heavy", action="store_true", help="build the heavy bundle only")
    parser.add_argument("--wheel", type=Path, help="the mediapipe 0.10.21 wheel, downloaded")
    parser.add_argument("--npm", type=Path, help="the @mediapipe/pose .tgz, downloaded")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        npm = args.npm or fetch_npm(Path(folder))
        if args.heavy:
            write_bundle(args.out, "heavy", committed_detector(args.out), read_npm(npm, "heavy"))
            return
        wheel = args.wheel or fetch_wheel(Path(folder))
        detector = read_wheel(wheel, WHEEL_DETECTOR)
        write_bundle(args.out, "full", detector, read_wheel(wheel, WHEEL_FULL))
        write_bundle(args.out, "lite", detector, read_npm(npm, "lite"))


if __name__ == "__main__":
    main()
