"""Shared fixtures for the pose tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_CLIPS = REPO.parent / "shared" / "clips"
GLUTE_BRIDGE = SHARED_CLIPS / "glute_bridge__bubbadk_fit__glute-bridge.mp4"


@pytest.fixture
def glute_bridge_clip() -> Path:
    """A real clip of one person (from ../shared, absent in a user's clone)."""
    if not GLUTE_BRIDGE.is_file():
        pytest.skip(f"needs {GLUTE_BRIDGE} (../shared is absent)")
    return GLUTE_BRIDGE
