"""Find the releases in a folder of downloaded archive files.

Twitter names its files e.g. ``china_052020_tweets_csv_hashed.zip``,
``hashed_2020_09_thailand_092020_thailand_092020_tweets_csv_hashed.zip`` or, for large releases split per
year, ``RNA_0621_tweets_csv_hashed_2019.csv``, plus a users file ``*_users_csv_hashed.csv``. A zip may
hold one or more CSV members. Files are grouped into releases by name; nothing is opened for writing.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from .errors import ArchiveError
from .paths import resolve

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

    @property
    def name(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name


@dataclass
class Release:
    release: str
    users: list[ArchiveFile] = field(default_factory=list)
    tweets: list[ArchiveFile] = field(default_factory=list)

    @property
    def files(self) -> list[ArchiveFile]:
        return self.users + self.tweets

    @property
    def paths(self) -> list[Path]:
        """The distinct files on disk (a zip counts once)."""
        return sorted({f.path for f in self.files})


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


def _zip_members(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [i.filename for i in zf.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX")]
    except zipfile.BadZipFile as exc:
        raise ArchiveError(path, f"not a readable zip archive ({exc}); the download may be truncated") from exc
    csvs = [m for m in members if m.lower().endswith(".csv")]
    if not csvs:
        raise ArchiveError(path, f"zip archive holds no CSV file (members: {members or 'none'})")
    return sorted(csvs)


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
        parsed = release_id(path.name)
        if parsed is None:
            if not _KNOWN_EXTRAS.search(path.name):
                ignored.append(path)
            continue
        rel, kind, hashed, year = parsed
        rel_obj = found.setdefault(rel, Release(rel))
        if path.suffix.lower() == ".zip":
            members = _zip_members(path)
            files = [ArchiveFile(path, kind, hashed, year, m) for m in members]
        else:
            files = [ArchiveFile(path, kind, hashed, year)]
        (rel_obj.users if kind == "users" else rel_obj.tweets).extend(files)

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
