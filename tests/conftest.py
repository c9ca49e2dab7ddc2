"""Fixtures shared by the content tests: the hand-made district as frames, and its Source."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_content_district import make_district  # noqa: E402

from yearbook.config import Config  # noqa: E402
from yearbook.content.source import Source  # noqa: E402


@pytest.fixture(scope="module")
def frames():
    return make_district()


@pytest.fixture(scope="module")
def source(frames):
    return Source.from_frames(Config(2022), frames)
