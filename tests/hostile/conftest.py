"""The hostile-target kit: run ``gatecheck run`` against servers that misbehave on purpose.

Helpers live in plain modules beside the tests (``hostile_*``), put on the path here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from hostile_run import Run, run_gatecheck


@pytest.fixture
def gatecheck_run(tmp_path: Path) -> Callable[..., Run]:
    """``gatecheck_run(url, *flags)``: one measured run into this test's own report folder."""
    return lambda url, *args, **kw: run_gatecheck(tmp_path, url, *args, **kw)
