"""The three synthetic releases: file naming/format (``ReleaseSpec``) and their account plans."""

from __future__ import annotations

from dataclasses import dataclass

from .. import schema


@dataclass(frozen=True)
class ReleaseSpec:
    release_id: str
    key: str  # plan name: "china" | "russia" | "turkey"
    users_file: str
    tweets_file: str  # with "{year}" for per-year shards
    zipped: bool  # tweets files are zip archives holding the same-named .csv
    by_year: bool
    columns: tuple[str, ...]
    booleans: tuple[str, str]  # (true, false)

    def tweets_name(self, year: int | None = None) -> str:
        return self.tweets_file.format(year=year)


_TK = "hashed_2020_06_synth_turkey_052020_synth_turkey_052020"

RELEASES: dict[str, ReleaseSpec] = {
    spec.release_id: spec
    for spec in (
        ReleaseSpec("synth_china_052020", "china", "synth_china_052020_users_csv_hashed.csv",
                    "synth_china_052020_tweets_csv_hashed.csv", zipped=True, by_year=False,
                    columns=schema.TWEET_COLUMNS_OLD_ORDER + schema.OPTIONAL_TWEET_COLUMNS,
                    booleans=("true", "false")),
        ReleaseSpec("synth_russia_052020", "russia", "synth_russia_052020_users_csv_hashed.csv",
                    "synth_russia_052020_tweets_csv_hashed_{year}.csv", zipped=False, by_year=True,
                    columns=schema.TWEET_COLUMNS, booleans=("True", "False")),
        ReleaseSpec("synth_turkey_052020", "turkey", f"{_TK}_users_csv_hashed.csv",
                    f"{_TK}_tweets_csv_hashed_{{year}}.csv", zipped=True, by_year=True,
                    columns=schema.TWEET_COLUMNS, booleans=("True", "False")),
    )
}
