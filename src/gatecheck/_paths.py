"""Where gatecheck finds its bundled data (specs/, fixtures/, suites/).

They live at the top of the project, beside src/, so that they are plain files a reviewer can
read and diff.  An editable install (the README's commands) finds them there;
``GATECHECK_HOME`` points elsewhere for an unusual install.
"""

from __future__ import annotations

import os
from pathlib import Path

from gatecheck.errors import UsageError

__all__ = ["project_dir"]


def project_dir(name: str) -> Path:
    """The project's top-level ``name`` folder (``specs``, ``fixtures``, ``suites``)."""
    candidates = []
    if home := os.environ.get("GATECHECK_HOME"):
        candidates.append(Path(home))
    candidates.append(Path(__file__).resolve().parents[2])
    for root in candidates:
        if (root / name).is_dir():
            return root / name
    raise UsageError(
        f"cannot find gatecheck's {name}/ folder (looked in {', '.join(map(str, candidates))}); "
        "install gatecheck from its source tree with 'pip install -e .' or set GATECHECK_HOME"
    )
