"""The one registry of specs: bundled ones by name, or a user's own file or spec folder by path.

A bundled spec is a folder ``specs/<name>/`` whose ``spec.yaml`` names the vendor source, the
contract overlays applied on load, and where the source came from (see ``specs/README.md``).
A user's file is used as written: ``.yaml``/``.yml``/``.json`` OpenAPI 3.0 or 3.1 is *not*
upgraded to 3.1 (schemathesis and openapi-core read both, and a silent rewrite would make
lint locations point at things the user never wrote); ``.lap`` is compiled.  A folder with a
``spec.yaml`` is loaded exactly like a bundled spec, so a user can keep an overlay of their own.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from gatecheck._paths import project_dir
from gatecheck.errors import HarnessBug, SpecInvalidError, SpecLoadError, UnknownNameError
from gatecheck.specs.compose import SpecFormat, apply_overlays, read_source
from gatecheck.specs.loader import read_mapping
from gatecheck.specs.oas import iter_operations
from gatecheck.specs.repair import broken_operations, repair
from gatecheck.specs.validation import SHAPE_ERRORS, Problem, structure_problems, validate_openapi

__all__ = ["LoadedSpec", "SpecInfo", "available", "find_spec", "load_spec"]

METADATA_FILE = "spec.yaml"
_SUFFIX_FORMATS: dict[str, SpecFormat] = {
    ".yaml": "openapi",
    ".yml": "openapi",
    ".json": "openapi",
    ".lap": "lap",
}
_SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class SpecInfo:
    """What ``spec.yaml`` says (or, for a user's file, what its path says) before anything is parsed."""

    name: str
    title: str
    version: str
    format: SpecFormat
    source_path: Path
    overlay_paths: tuple[Path, ...] = ()
    provenance: Mapping[str, Any] = field(default_factory=dict)
    folder: Path | None = None
    bundled: bool = False

    @property
    def label(self) -> str:
        """How messages name this spec: a bundled name, else the folder or file a user gave."""
        return self.name if self.bundled else str(self.folder or self.source_path)


@dataclass(frozen=True)
class LoadedSpec:
    """A spec ready to test against: ``document`` has the contract layer, ``raw`` is the vendor's."""

    name: str
    version: str
    title: str
    provenance: Mapping[str, Any]
    format: SpecFormat
    source_path: Path
    document: dict[str, Any]
    raw: dict[str, Any]
    overlay_paths: tuple[Path, ...] = ()
    #: Problems repaired in ``document``, each with how (see :mod:`gatecheck.specs.repair`).
    repaired: tuple[tuple[Problem, str], ...] = ()
    #: Problems that could not be repaired; ``broken`` names the operations they reach.
    problems: tuple[Problem, ...] = ()
    broken: Mapping[str, str] = field(default_factory=dict)

    @property
    def level(self) -> str:
        """``clean``, ``repaired`` (every problem repaired) or ``degraded`` (some operations broken)."""
        if self.problems:
            return "degraded"
        return "repaired" if self.repaired else "clean"

    def summary(self) -> str:
        """One line on how the spec loaded, for a run's header and ``specs show``."""
        if self.level == "clean":
            return f"spec {self.name}: valid"
        broken = f", {len(self.broken)} operation(s) not testable" if self.broken else ""
        return (
            f"spec {self.name}: loaded {self.level}: {len(self.repaired)} problem(s) repaired, "
            f"{len(self.problems)} not repairable{broken}; "
            f"'gatecheck specs lint {self.source_path}' lists them"
        )

    @property
    def operation_count(self) -> int:
        """Operations in the contract document (what ``specs list`` shows and tests pin)."""
        return sum(1 for _ in iter_operations(self.document))


def available() -> list[SpecInfo]:
    """Every bundled spec, by name; a folder under ``specs/`` without a valid ``spec.yaml`` is an error."""
    root = project_dir("specs")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    return [_read_info(folder, bundled=True) for folder in folders]


def find_spec(name_or_path: str) -> SpecInfo:
    """Resolve a bundled name, a spec folder or a spec file; unknown bare names list the known ones."""
    bundled = {info.name: info for info in available()}
    if name_or_path in bundled:
        return bundled[name_or_path]
    path = Path(name_or_path)
    if path.is_dir():
        if not (path / METADATA_FILE).is_file():
            raise SpecLoadError(f"{path}: a spec folder needs a {METADATA_FILE} (see specs/README.md)")
        return _read_info(path, bundled=False)
    spec_format = _SUFFIX_FORMATS.get(path.suffix.lower())
    if spec_format is None:
        if path.suffix or len(path.parts) > 1 or path.exists():
            raise SpecLoadError(f"{path}: unknown spec file type; expected .yaml, .yml, .json or .lap")
        raise UnknownNameError("spec", name_or_path, list(bundled))
    return SpecInfo(name=path.stem, title="", version="", format=spec_format, source_path=path)


def load_spec(name_or_path: str, *, strict: bool = False) -> LoadedSpec:
    """Load, compile and overlay a spec; each call returns its own copy to mutate freely.

    Problems do not stop it (see :mod:`gatecheck.specs.repair` for the loading levels) unless
    ``strict``, which refuses a document with any problem at all.
    """
    info = find_spec(name_or_path)
    raw, document, repaired, problems = _compose(info.format, info.source_path.resolve(), _stamp(info))
    if strict and (repaired or problems):
        _refuse(
            info.source_path, [f"{p.location}: {p.message}" for p in (*(p for p, _ in repaired), *problems)]
        )
    info_field = document.get("info")
    meta: Mapping[str, Any] = info_field if isinstance(info_field, Mapping) else {}
    return LoadedSpec(
        name=info.name,
        version=info.version or str(meta.get("version", "")),
        title=info.title or str(meta.get("title", info.name)),
        provenance=dict(info.provenance) or {"source": str(info.source_path)},
        format=info.format,
        source_path=info.source_path,
        document=copy.deepcopy(document),
        raw=copy.deepcopy(raw),
        overlay_paths=info.overlay_paths,
        repaired=repaired,
        problems=problems,
        broken=broken_operations(document, problems),
    )


def _stamp(info: SpecInfo) -> tuple[tuple[str, int], ...]:
    """Source and overlay paths with modification times, so an edited file is not served from the cache."""
    return tuple((str(p.resolve()), _mtime(p)) for p in (info.source_path, *info.overlay_paths))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1  # reading it will raise the helpful error


@functools.lru_cache(maxsize=16)
def _compose(
    spec_format: SpecFormat, source: Path, stamp: tuple[tuple[str, int], ...]
) -> tuple[dict[str, Any], dict[str, Any], tuple[tuple[Problem, str], ...], tuple[Problem, ...]]:
    raw = read_source(source, spec_format)
    document = apply_overlays(raw, [Path(path) for path, _ in stamp[1:]])
    found = validate_openapi(document, label=str(source))
    try:
        fixed = repair(document, found)
    except SHAPE_ERRORS as exc:
        # repairs assume the shape the OpenAPI schema gives; a document far from it is refused
        if shape := structure_problems(document, label=str(source)):
            _refuse(source, shape, "not valid OpenAPI, and too far from its shape to repair")
        raise HarnessBug(f"repairing the spec {source}", exc) from None
    return raw, fixed.document, fixed.repaired, fixed.remaining


def _refuse(source: Path, problems: list[str], why: str = "not valid OpenAPI (--strict)") -> NoReturn:
    """Refuse the spec: under --strict for any problem, always when its shape is too far off to repair."""
    shown = "; ".join(problems[:_SHOWN_PROBLEMS])
    more = f" (and {len(problems) - _SHOWN_PROBLEMS} more)" if len(problems) > _SHOWN_PROBLEMS else ""
    raise SpecInvalidError(
        f"{source}: {why}: {shown}{more}; run 'gatecheck specs lint {source}' for all problems"
    )


def _read_info(folder: Path, *, bundled: bool) -> SpecInfo:
    meta_path = folder / METADATA_FILE
    meta = read_mapping(meta_path, what="spec metadata file")
    for key in ("name", "title", "version", "format", "source"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise SpecInvalidError(f"{meta_path}: field {key!r} must be a non-empty string")
    if meta["name"] != folder.name:
        raise SpecInvalidError(
            f"{meta_path}: name {meta['name']!r} must match its folder name {folder.name!r}"
        )
    if meta["format"] not in ("openapi", "lap"):
        raise SpecInvalidError(
            f"{meta_path}: field 'format' must be 'openapi' or 'lap', not {meta['format']!r}"
        )
    overlays = meta.get("overlay", [])
    overlays = [overlays] if isinstance(overlays, str) else overlays
    if not isinstance(overlays, list) or not all(isinstance(o, str) for o in overlays):
        raise SpecInvalidError(f"{meta_path}: field 'overlay' must be a file name or a list of file names")
    provenance = meta.get("provenance", {})
    if not isinstance(provenance, Mapping):
        raise SpecInvalidError(f"{meta_path}: field 'provenance' must be a mapping")
    return SpecInfo(
        name=meta["name"],
        title=meta["title"],
        version=meta["version"],
        format=meta["format"],
        source_path=folder / meta["source"],
        overlay_paths=tuple(folder / o for o in overlays),
        provenance=provenance,
        folder=folder,
        bundled=bundled,
    )
