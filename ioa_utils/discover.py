"""Find the releases in a folder of downloaded archive files.

Twitter names its files e.g. ``china_052020_tweets_csv_hashed.zip``,
``hashed_2020_09_thailand_092020_thailand_092020_tweets_csv_hashed.zip`` or, for large releases split per
year, ``RNA_0621_tweets_csv_hashed_2019.csv``, plus a users file ``*_users_csv_hashed.csv``. A zip may
hold one or more CSV members. Files are grouped into releases by name; nothing is opened for writing.

The release id taken from a file name becomes a folder name, so it must be a safe one (``paths.RELEASE_ID``);
any other name is an error naming the file. Mac unzip debris (``._*`` AppleDouble files, anything under
``__MACOSX/``, on disk or inside a zip) is skipped and listed as ignored. Files are keyed by their path
relative to the raw folder, so same-named shards in two subfolders stay distinct; a zip holding two members
of the same name has both read, each as itself (see ``ArchiveFile.name``).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from .errors import ArchiveError
from .paths import RELEASE_ID, RELEASE_ID_RULE, resolve

_NAME = re.compile(
    r"^(?:hashed_\d{4}_\d{2}_)?(?P<stem>.+?)_(?P<kind>tweets|users)_csv_(?P<hashing>hashed|unhashed)"
    r"(?:_(?P<year>\d{4}))?\.(?P<ext>csv|zip)$",
    re.IGNORECASE,
)
# Files that may sit beside releases and are not archive data.
_KNOWN_EXTRAS = re.compile(r"(_ground_truth_(accounts|tweets)\.parquet|SHA256SUMS|README.*|\.DS_Store)$", re.I)


@dataclass(frozen=True)
class ArchiveFile:
    """One CSV of a release: a plain file, or a member of a zip."""

    path: Path
    kind: str  # "tweets" or "users"
    hashed: bool
    year: str | None = None
    member: str | None = None  # CSV name inside a zip
    rel: str = ""  # path relative to the raw folder ('/'-separated); unique among the files of a discovery
    index: int | None = None  # position of the member in the zip's directory (opened by it, not by name)
    occurrence: int = 0  # 1, 2, ... when the zip holds several members of this name, else 0
    qualified: bool = False  # show ``rel`` rather than the file name (set when the name alone is ambiguous)

    @property
    def name(self) -> str:
        """How reports and the ``source_file`` column name it: the file name (its relative path when two files
        of the release share a name), ``:member`` inside a zip, ``#n`` for the n-th of same-named members."""
        base = self.rel if self.qualified and self.rel else self.path.name
        if self.member is None:
            return base
        return f"{base}:{self.member}" + (f"#{self.occurrence}" if self.occurrence else "")

    @property
    def key(self) -> str:
        """Unique within a discovery: the relative path, then member and occurrence."""
        return replace(self, qualified=True).name if self.rel else self.name


@dataclass
class Release:
    release: str
    users: list[ArchiveFile] = field(default_factory=list)
    tweets: list[ArchiveFile] = field(default_factory=list)
    root: Path | None = None  # the raw folder it was discovered in

    @property
    def files(self) -> list[ArchiveFile]:
        return self.users + self.tweets

    @property
    def paths(self) -> list[Path]:
        """The distinct files on disk (a zip counts once)."""
        return sorted({f.path for f in self.files})

    @property
    def inputs(self) -> dict[str, Path]:
        """The distinct files on disk by their path relative to the raw folder (the keys of stamps and of the
        run manifest: same-named files in two subfolders are two inputs)."""
        return {rel: path for rel, path in sorted({(f.rel or f.path.name, f.path) for f in self.files})}


def release_id(filename: str) -> tuple[str, str, bool, str | None] | None:
    """``(release, kind, hashed, year)`` parsed from an official file name, or None."""
    m = _NAME.match(filename)
    if not m:
        return None
    stem = m["stem"]
    half = len(stem) // 2
    if len(stem) % 2 == 1 and stem[:half] == stem[half + 1 :] and stem[half] == "_":
        stem = stem[:half]  # "thailand_092020_thailand_092020" -> "thailand_092020"
    return stem, m["kind"].lower(), m["hashing"].lower() == "hashed", m["year"]


def is_mac_debris(parts: tuple[str, ...]) -> bool:
    """``._name`` AppleDouble files and anything under ``__MACOSX/`` (left by macOS zip and unzip)."""
    return parts[-1].startswith("._") or "__MACOSX" in parts[:-1]


@dataclass(frozen=True)
class _Member:
    index: int
    name: str
    occurrence: int  # 0 if the name is unique in the zip


def _zip_members(path: Path) -> tuple[list[_Member], list[str]]:
    """(CSV members by name, then directory order; Mac debris members skipped)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = list(enumerate(zf.infolist()))
    except zipfile.BadZipFile as exc:
        raise ArchiveError(path, f"not a readable zip archive ({exc}); the download may be truncated") from exc
    files = [(i, info.filename) for i, info in infos if not info.is_dir()]
    debris = [n for _, n in files if is_mac_debris(tuple(n.split("/")))]
    kept = [(i, n) for i, n in files if not is_mac_debris(tuple(n.split("/")))]
    csvs = sorted(((i, n) for i, n in kept if n.lower().endswith(".csv")), key=lambda m: (m[1], m[0]))  # by name
    if not csvs:
        raise ArchiveError(path, f"zip archive holds no CSV file (members: {[n for _, n in kept] or 'none'})")
    total, seen = Counter(n for _, n in csvs), Counter()
    members = []
    for i, n in csvs:
        seen[n] += 1
        members.append(_Member(i, n, seen[n] if total[n] > 1 else 0))
    return members, debris


def _checked_id(release: str, path: Path) -> str:
    if not RELEASE_ID.fullmatch(release):
        raise ArchiveError(path, f"the release id {release!r} given by this file name is not a safe folder name "
                                 f"(allowed: {RELEASE_ID_RULE}); rename the file")
    return release


def _qualify_shared_names(rel: Release) -> None:
    """Files of one release that share a file name (same shard in two subfolders) are shown by relative path."""
    names = Counter(p.name for p in rel.paths)
    for files in (rel.users, rel.tweets):
        files[:] = [replace(f, qualified=True) if names[f.path.name] > 1 else f for f in files]


@dataclass
class Discovery:
    releases: list[Release]
    ignored: list[Path]


def discover(raw_dir: str | Path, releases: list[str] | None = None) -> Discovery:
    """Group the archive files below ``raw_dir`` (searched recursively) into releases."""
    root = resolve(raw_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"data folder {root} does not exist")
    found: dict[str, Release] = {}
    ignored: list[Path] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel_path = path.relative_to(root)
        if is_mac_debris(rel_path.parts):
            ignored.append(path)
            continue
        parsed = release_id(path.name)
        if parsed is None:
            if not _KNOWN_EXTRAS.search(path.name):
                ignored.append(path)
            continue
        rel, kind, hashed, year = parsed
        rel_obj = found.setdefault(_checked_id(rel, path), Release(rel, root=root))
        common = {"kind": kind, "hashed": hashed, "year": year, "rel": rel_path.as_posix()}
        if path.suffix.lower() == ".zip":
            members, debris = _zip_members(path)
            ignored.extend(path / d for d in debris)
            files = [ArchiveFile(path, member=m.name, index=m.index, occurrence=m.occurrence, **common)
                     for m in members]
        else:
            files = [ArchiveFile(path, **common)]
        (rel_obj.users if kind == "users" else rel_obj.tweets).extend(files)
    by_folder = Counter(r.lower() for r in found)  # ids differing only in case share a folder on macOS/Windows
    clash = sorted(r for r in found if by_folder[r.lower()] > 1)
    if clash:
        raise ArchiveError(found[clash[0]].paths[0], f"release ids {clash} differ only in letter case; their "
                                                     "outputs would share a folder on macOS and Windows")
    for rel_obj in found.values():
        _qualify_shared_names(rel_obj)

    if not found:
        csvs = [p for p in ignored if p.suffix.lower() in (".csv", ".zip")]
        hint = (
            f" These files do not follow the archive's naming (<release>_tweets_csv_hashed.csv / "
            f"<release>_users_csv_hashed.csv, optionally zipped or split per year): "
            f"{', '.join(p.name for p in csvs[:10])}"
            if csvs
            else ""
        )
        raise FileNotFoundError(f"no information-operations archive files found in {root}.{hint}")
    selected = sorted(found.values(), key=lambda r: r.release)
    if releases is not None:
        missing = sorted(set(releases) - set(found))
        if missing:
            raise KeyError(f"release(s) {missing} not found in {root}; found: {sorted(found)}")
        selected = [r for r in selected if r.release in releases]
    for rel in selected:
        if not rel.tweets:
            raise ArchiveError(root / rel.release, f"release {rel.release} has a users file but no tweets file")
    return Discovery(selected, ignored)


def files_table(raw_dir: str | Path, releases: list[str] | None = None) -> pd.DataFrame:
    """One row per archive CSV found: release, file (zip member shown after ':'), kind, year, MB on disk."""
    import pandas as pd

    rows = [
        {"release": r.release, "file": f.name, "kind": f.kind, "hashed": f.hashed, "year": f.year or "",
         "MB on disk": round(f.path.stat().st_size / 1e6, 2)}
        for r in discover(raw_dir, releases).releases
        for f in r.files
    ]
    return pd.DataFrame(rows)
