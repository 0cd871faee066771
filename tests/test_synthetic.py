"""Tests of the synthetic mini-archive generator (``ioa_utils.synthetic``)."""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ioa_utils import ground_truth, schema
from ioa_utils.synthetic import RELEASES, generate

csv.field_size_limit(2**31 - 1)
SCALE = 0.5
HASHED = re.compile(r"^[A-Za-z0-9+/]{41,43}=$")
TWEPOCH_MS = 1288834974657


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    return generate(tmp_path_factory.mktemp("synth"), seed=2020, scale=SCALE)


def _text(path: Path) -> str:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            (name,) = z.namelist()
            return z.read(name).decode("utf-8")
    return path.read_text(encoding="utf-8")


def _tweet_files(files: list[Path]) -> list[Path]:
    return [p for p in files if "_tweets_csv_" in p.name]


def _users(files: list[Path]) -> pd.DataFrame:
    (p,) = [p for p in files if "_users_csv_" in p.name]
    return pd.DataFrame(list(csv.DictReader(io.StringIO(_text(p)))))


def _tweets(files: list[Path]) -> pd.DataFrame:
    rows = []
    for p in _tweet_files(files):
        rows += list(csv.DictReader(io.StringIO(_text(p))))
    df = pd.DataFrame(rows)
    df["time"] = pd.to_datetime(df["tweet_time"], format="%Y-%m-%d %H:%M")
    df["is_rt"] = df["is_retweet"].str.lower() == "true"
    return df


def _truth(release: str, files: list[Path]) -> ground_truth.GroundTruth:
    gt = ground_truth.load(files[0].parent, release)
    assert gt is not None
    return gt


def _sha(files: dict[str, list[Path]]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for fs in files.values() for p in fs}


def test_byte_identical_for_same_seed_and_scale(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=7, scale=0.2)
    b = generate(tmp_path / "b", seed=7, scale=0.2)
    assert _sha(a) == _sha(b)
    c = generate(tmp_path / "c", seed=8, scale=0.2)
    sa, sc = _sha(a), _sha(c)
    tweets = [n for n in sa if "_tweets_csv_" in n and n in sc]
    assert tweets and all(sa[n] != sc[n] for n in tweets)


def test_file_names_and_packaging(archive: dict[str, list[Path]]) -> None:
    assert set(archive) == set(RELEASES)
    names = {r: {p.name for p in fs} for r, fs in archive.items()}
    assert {"synth_china_052020_users_csv_hashed.csv", "synth_china_052020_tweets_csv_hashed.zip"} <= names[
        "synth_china_052020"]
    assert any(re.fullmatch(r"synth_russia_052020_tweets_csv_hashed_20\d\d\.csv", n)
               for n in names["synth_russia_052020"])
    tk = "hashed_2020_06_synth_turkey_052020_synth_turkey_052020"
    assert f"{tk}_users_csv_hashed.csv" in names["synth_turkey_052020"]
    assert any(re.fullmatch(tk + r"_tweets_csv_hashed_20\d\d\.zip", n) for n in names["synth_turkey_052020"])
    for files in archive.values():
        assert all(p.parent.name == files[0].parent.name for p in files)
        for p in files:
            if p.suffix == ".zip":
                with zipfile.ZipFile(p) as z:
                    (info,) = z.infolist()
                    assert info.filename == p.with_suffix(".csv").name
                    assert info.date_time == (2020, 6, 11, 0, 0, 0)


def test_csv_format_matches_official(archive: dict[str, list[Path]]) -> None:
    expected = {"synth_china_052020": schema.TWEET_COLUMNS_OLD_ORDER + ("poll_choices",),
                "synth_russia_052020": schema.TWEET_COLUMNS, "synth_turkey_052020": schema.TWEET_COLUMNS}
    bools = {"synth_china_052020": {"true", "false"}, "synth_russia_052020": {"True", "False"},
             "synth_turkey_052020": {"True", "False"}}
    for release, files in archive.items():
        for p in files:
            if p.suffix not in (".csv", ".zip"):
                continue
            raw = _text(p)
            rows = list(csv.reader(io.StringIO(raw)))
            header = schema.USER_COLUMNS if "_users_csv_" in p.name else expected[release]
            assert tuple(rows[0]) == header
            assert all(len(r) == len(header) for r in rows)
            # every field quoted, '\n' line ends: re-serialising gives the same text
            out = io.StringIO()
            csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
            assert out.getvalue() == raw
        df = _tweets(files)
        assert set(df["is_retweet"]) == bools[release]
        assert set(df["latitude"]) == {"absent"} and set(df["longitude"]) == {"absent"}
        assert df["tweet_time"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d").all()
        assert df["tweet_text"].str.contains("\n").any()
        for col in schema.LIST_COLUMNS:
            assert all(isinstance(ast.literal_eval(v), list) for v in df[col])
        if "poll_choices" in df:
            assert (df["poll_choices"] == "").mean() > 0.9


def test_ids(archive: dict[str, list[Path]]) -> None:
    for files in archive.values():
        users, df = _users(files), _tweets(files)
        assert users["userid"].is_unique and df["tweetid"].is_unique
        numeric = users["userid"].str.fullmatch(r"\d{19}")
        assert (numeric | users["userid"].str.fullmatch(HASHED.pattern)).all()
        assert set(users.loc[~numeric, "userid"].str.len()) <= {42, 43, 44}
        small = users["follower_count"].astype(int) < 5000
        assert (users.loc[small, "user_display_name"] == users.loc[small, "userid"]).all()
        assert (users.loc[small, "user_screen_name"] == users.loc[small, "userid"]).all()
        assert (~numeric[small]).all() and (users.loc[~small, "user_screen_name"] != users.loc[~small, "userid"]).all()
        assert df["tweetid"].str.fullmatch(r"\d{18,19}").all()
        for col in ("tweetid",) + schema.LOSSY_ID_COLUMNS:  # precise ids, never float-style
            assert df[col].str.fullmatch(r"(\d{18,19})?").all(), col
        # snowflake ids agree with tweet_time (minute precision)
        ms = (df["tweetid"].astype("int64").to_numpy() >> 22) + TWEPOCH_MS
        assert (pd.to_datetime(ms, unit="ms").floor("min") == df["time"].to_numpy()).all()
        assert set(df["userid"]) <= set(users["userid"])
        # profile fields repeated on tweet rows agree with the users file
        merged = df[list(schema.USER_COLUMNS)].drop_duplicates()
        assert len(merged) == df["userid"].nunique()
        assert merged.merge(users, on=list(schema.USER_COLUMNS)).shape[0] == len(merged)


def test_ground_truth_covers_everything(archive: dict[str, list[Path]]) -> None:
    for release, files in archive.items():
        gt, users, df = _truth(release, files), _users(files), _tweets(files)
        assert list(gt.accounts.columns) == ["userid", "role", "group", "group_kind", "is_control"]
        assert list(gt.tweets.columns) == ["tweetid", "userid", "narrative", "planted"]
        assert sorted(gt.accounts["userid"]) == sorted(users["userid"])
        assert sorted(gt.tweets["tweetid"]) == sorted(df["tweetid"])
        assert set(gt.accounts["role"]) <= set(ground_truth.ROLES)
        assert set(gt.accounts["group_kind"]) <= set(ground_truth.GROUP_KINDS) | {""}
        assert set(gt.tweets["planted"]) <= set(ground_truth.GROUP_KINDS) | {""}
        assert (gt.accounts["is_control"] == gt.accounts["role"].isin(ground_truth.CONTROL_ROLES)).all()
        ctl = gt.tweets.merge(gt.accounts, on="userid").query("is_control")
        assert len(ctl) and ctl["narrative"].str.startswith("organic_").all() and (ctl["planted"] == "").all()


def test_retweets(archive: dict[str, list[Path]]) -> None:
    for release, files in archive.items():
        users, df = _users(files), _tweets(files)
        rt = df[df["is_rt"]]
        assert len(rt) and rt["tweet_text"].str.startswith("RT @").all() and (rt["retweet_tweetid"] != "").all()
        assert (df.loc[~df["is_rt"], "retweet_tweetid"] == "").all()
        assert 0.25 < (rt["retweet_userid"] == "").mean() < 0.55
        # retweets of release tweets name the author's screen name as in the users file
        internal = rt.merge(df[["tweetid", "userid", "tweet_text"]], left_on="retweet_tweetid", right_on="tweetid",
                            suffixes=("", "_src"))
        if release == "synth_china_052020":  # only its (unreleased) amplifiers retweeted release tweets
            assert not len(internal)
            continue
        assert len(internal)
        screen = users.set_index("userid")["user_screen_name"]
        prefix = "RT @" + internal["userid_src"].map(screen) + ": "
        assert (internal["tweet_text"] == prefix + internal["tweet_text_src"]).all()
        has_uid = internal["retweet_userid"] != ""
        assert (internal.loc[has_uid, "retweet_userid"] == internal.loc[has_uid, "userid_src"]).all()
        assert (internal["time"] >= internal.merge(df[["tweetid", "time"]], left_on="tweetid_src",
                                                   right_on="tweetid", suffixes=("", "_o"))["time_o"]).all()
        assert (df["in_reply_to_tweetid"] != "").any() and (df["quoted_tweet_tweetid"] != "").any()


def _with_roles(release: str, files: list[Path]) -> pd.DataFrame:
    gt = _truth(release, files)
    return _tweets(files).merge(gt.tweets, on=["tweetid", "userid"]).merge(gt.accounts, on="userid")


def test_rings_retweet_each_other_within_minutes(archive: dict[str, list[Path]]) -> None:
    df = _with_roles("synth_turkey_052020", archive["synth_turkey_052020"])
    rt = df[df["is_rt"] & (df["planted"] == "retweet_ring")]
    src = rt.merge(df[["tweetid", "userid", "group", "time"]], left_on="retweet_tweetid", right_on="tweetid",
                   suffixes=("", "_src"))
    assert len(src) == len(rt) > 100
    assert (src["group"] == src["group_src"]).all() and (src["userid"] != src["userid_src"]).all()
    delay = src["time"] - src["time_src"]
    # log-normal delays (behaviours.RING_DELAY): most within ten minutes, some later, none before the tweet (times
    # have minute precision: a retweet within the minute shows a delay of 0)
    assert (delay >= pd.Timedelta(0)).all() and delay.median() <= pd.Timedelta(minutes=10)
    assert 0 < (delay > pd.Timedelta(minutes=10)).mean() < 0.5
    # dense: most ring members retweet most of their ring-mates
    pairs = src.groupby("group").apply(lambda g: g[["userid", "userid_src"]].drop_duplicates().shape[0]
                                       / (g["userid"].nunique() * (g["userid"].nunique() - 1)))
    assert (pairs > 0.8).all()


@pytest.mark.parametrize("release", list(RELEASES))
def test_co_tweet_groups_post_identical_texts_within_minutes(archive: dict[str, list[Path]], release: str) -> None:
    df = _with_roles(release, archive[release])
    co = df[df["planted"] == "co_tweet"].sort_values("time")
    assert len(co) and (co["group_kind"] == "co_tweet").all()
    spans = []
    for _, g in co.groupby(["group", "tweet_text"]):
        # a text can recur in a later burst (Turkey's single-issue batch posts hundreds of texts on one issue and
        # the templates repeat some): bursts are split at gaps of more than two hours
        burst = (g["time"].diff() > pd.Timedelta(hours=2)).cumsum()
        for _, b in g.groupby(burst):
            assert b["userid"].nunique() >= 5 and b["userid"].is_unique
            spans.append(b["time"].max() - b["time"].min())
    # log-normal offsets (behaviours.CO_TWEET_OFFSET): most texts posted by all within minutes, some spread wider
    spans = pd.Series(spans)
    assert spans.median() <= pd.Timedelta(minutes=10) and (spans > pd.Timedelta(minutes=5)).any()
    assert co.groupby("group")["tweet_text"].nunique().min() >= 10


@pytest.mark.parametrize("release", list(RELEASES))
def test_controls_never_coordinate(archive: dict[str, list[Path]], release: str) -> None:
    df = _with_roles(release, archive[release])
    ctl = df[df["role"] == "control"]  # plain controls; the hard negatives below look coordinated on purpose
    assert len(ctl) > 50
    assert ctl["tweet_text"].is_unique
    rts = ctl.loc[ctl["is_rt"], "retweet_tweetid"]
    assert rts.is_unique and not set(rts) & set(df["tweetid"])
    assert ctl["tweet_client_name"].nunique() >= 3


def test_organic_accounts_outnumber_campaign_accounts_with_every_hard_negative(archive: dict[str, list[Path]]
                                                                              ) -> None:
    for release, files in archive.items():
        a = _truth(release, files).accounts
        assert a["is_control"].sum() >= (~a["is_control"]).sum(), release
        assert set(a.loc[a["is_control"], "role"]) == set(ground_truth.CONTROL_ROLES), release


def _close_pairs(times: pd.Series, minutes: int = 10) -> bool:
    t = times.sort_values()
    return bool((t.diff() <= pd.Timedelta(minutes=minutes)).any())


@pytest.mark.parametrize("release", list(RELEASES))
def test_hard_negatives_look_coordinated_but_are_not_planted(archive: dict[str, list[Path]], release: str) -> None:
    df = _with_roles(release, archive[release])
    hard = df[df["is_control"] & (df["role"] != "control")]
    assert (hard["planted"] == "").all() and hard["narrative"].str.startswith("organic_").all()
    # fans: several retweet the same outside post, some within minutes of each other
    fans = df[(df["role"] == "organic_fan") & df["is_rt"]]
    assert not set(fans["retweet_tweetid"]) & set(df["tweetid"])
    shared = fans.groupby("retweet_tweetid").filter(lambda g: g["userid"].nunique() >= 2)
    assert shared.groupby("retweet_tweetid")["time"].apply(_close_pairs).sum() >= 3
    # aggregators: the same headline (and article URL) from several accounts within minutes
    agg = df[(df["role"] == "organic_aggregator") & ~df["is_rt"]]
    head = agg["tweet_text"].str.replace(r" https://t\.co/\w+$", "", regex=True)
    same = agg.assign(head=head).groupby("head").filter(lambda g: g["userid"].nunique() >= 2)
    assert same.groupby("head")["urls"].nunique().eq(1).all()
    assert same.groupby("head")["time"].apply(_close_pairs).sum() >= 3
    assert agg["tweet_text"].is_unique  # each post has its own t.co link
    # newcomers: recent, some with no bio and a handful of followers, not all
    new = df[df["role"] == "organic_newcomer"].drop_duplicates("userid")
    few = (new["follower_count"].astype(int) <= 5) & (new["user_profile_description"] == "")
    assert not few.all()  # some have none: pooled over releases below (a small release has a handful of newcomers)
    assert new["account_creation_date"].min() > df.loc[df["role"] == "control", "account_creation_date"].max()
    # workers post more on weekdays by day than plain controls
    local = df["time"] + pd.Timedelta(hours={"synth_china_052020": 8}.get(release, 3))
    day = local.dt.hour.between(9, 17) & (local.dt.day_of_week < 5)
    assert day[df["role"] == "organic_worker"].mean() > day[df["role"] == "control"].mean() + 0.2


def test_bilingual_users_switch_language_more_than_controls(archive: dict[str, list[Path]]) -> None:
    """Pooled over the releases (a release at scale 0.5 holds only a few bilingual users): more tweets in a
    second language than plain controls (15%)."""
    df = pd.concat([_with_roles(r, files) for r, files in archive.items()], ignore_index=True)
    main = df.groupby("userid")["tweet_language"].agg(lambda x: x.value_counts().index[0])
    second = df["tweet_language"] != df["userid"].map(main)
    assert second[df["role"] == "organic_bilingual"].mean() > second[df["role"] == "control"].mean() + 0.1


def test_china_shapes(archive: dict[str, list[Path]]) -> None:
    df = _with_roles("synth_china_052020", archive["synth_china_052020"])
    covid = df[df["narrative"] == "covid"]
    assert covid["time"].dt.to_period("M").value_counts().idxmax() == pd.Period("2020-03", "M")
    camp = df[~df["is_control"] & ~df["is_rt"]]
    beijing = df["time"] + pd.Timedelta(hours=8)
    work = beijing.dt.hour.between(8, 18) & (beijing.dt.day_of_week < 5)  # working days span 8-10 h to 17-19 h
    assert work[camp.index].mean() > 0.8
    assert work[df["role"] == "control"].mean() < 0.6
    # ... not the detector's exact 9-18 h window: some campaign tweets fall just outside it
    assert 0.02 < (work & ~beijing.dt.hour.between(9, 17))[camp.index].mean() < 0.2
    # 70% of campaign accounts write mainly Chinese (per account: tweet counts are heavy-tailed)
    main = camp.groupby("userid")["tweet_language"].agg(lambda x: x.value_counts().index[0])
    assert 0.6 < (main == "zh").mean() < 0.8
    assert not (df["role"] == "amplifier").any()  # as in the real release (its amplifiers were not published)
    core_camp = df[(df["role"] == "core") & (df["group"] == "")]
    followers = core_camp.drop_duplicates("userid")["follower_count"].astype(int)
    assert 0.6 < (followers <= 5).mean() < 0.95  # few followers, drawn from a distribution, not cut at 5
    assert set(df["narrative"]) >= {"hong_kong", "covid", "guo_wengui", "taiwan"}
    zh = camp.loc[camp["tweet_language"] == "zh", "tweet_text"]
    assert not zh.str.contains(r"[\u4e00-\u9fff] [\u4e00-\u9fff]").any()


def test_turkey_compromised_accounts_switch(archive: dict[str, list[Path]]) -> None:
    df = _with_roles("synth_turkey_052020", archive["synth_turkey_052020"])
    comp = df[df["role"] == "compromised"].sort_values("time")
    assert comp["userid"].nunique() >= 2
    for _, g in comp.groupby("userid"):
        political = ~g["narrative"].str.startswith("organic_")
        switch = g.loc[political, "time"].min()
        before, after = g[g["time"] < switch], g[g["time"] >= switch]
        assert len(before) > 20 and len(after) > 20
        assert (before["tweet_language"] != "tr").all() and (after["tweet_language"] == "tr").all()
        assert not set(before["tweet_client_name"]) & set(after["tweet_client_name"])
        assert before["time"].min().year <= 2014


def test_russia_roles(archive: dict[str, list[Path]]) -> None:
    df = _with_roles("synth_russia_052020", archive["synth_russia_052020"])
    posers = df[df["role"] == "official_poser"]
    assert len(posers) and (posers["user_display_name"] != posers["userid"]).all()
    com = df[df["planted"] == "commercial_retweet"]
    assert len(com) and com["is_rt"].all() and (com["narrative"] == "commercial_ads").all()
    bursts = com.groupby("retweet_tweetid").agg(n=("userid", "nunique"), span=("time", lambda t: t.max() - t.min()))
    # log-normal offsets (behaviours.BURST_OFFSET): most bursts within ten minutes, some spread wider
    assert (bursts["n"] >= 4).all() and bursts["span"].median() <= pd.Timedelta(minutes=10)
    assert (bursts["span"] > pd.Timedelta(minutes=10)).any()
    camp = df[~df["is_control"]]
    assert (camp["like_count"].astype(int) == 0).mean() > 0.8


def test_scale_multiplies_tweets(tmp_path: Path, archive: dict[str, list[Path]]) -> None:
    small = generate(tmp_path, seed=2020, scale=SCALE / 2)
    for release in RELEASES:
        n_big, n_small = len(_tweets(archive[release])), len(_tweets(small[release]))
        assert 1.5 < n_big / n_small < 2.6, (release, n_big, n_small)


def _plan_counts(release: str, seed: int = 2020, **options: bool) -> pd.DataFrame:
    """Accounts of the default-size plan of ``release`` with their role, group and tweet count (units run in
    memory, nothing written: the counts ``generate`` would write)."""
    import numpy as np

    from ioa_utils.synthetic.generate import _plan
    from ioa_utils.synthetic.plans import make_ctx
    from ioa_utils.synthetic.shapes import default_size

    spec = RELEASES[release]
    acc, style, units = _plan(spec, seed, default_size(spec.key), **options)
    ctx, index = make_ctx(spec.key, acc), list(RELEASES).index(release)
    n = np.zeros(len(acc), dtype=np.int64)
    for k, unit in enumerate(units):
        n += np.bincount(unit(ctx, style, np.random.default_rng([seed, index, 1, k])).uidx, minlength=len(acc))
    return pd.DataFrame({"role": [a.role for a in acc.items], "group": [a.group for a in acc.items],
                         "is_control": [a.is_control for a in acc.items], "n": n})


# Tweets per campaign account of the default archive (seed 2020; shapes.DEFAULT) and of the real releases.
DEFAULT_SHAPE = {"synth_china_052020": (15, 14.7), "synth_russia_052020": (2_850, 2_981),
                 "synth_turkey_052020": (5_054, 5_034)}


@pytest.mark.parametrize("release", list(DEFAULT_SHAPE))
def test_default_archive_has_the_real_shape(release: str) -> None:
    """Real tweets per campaign account (within 10% on seed 2020), fewer accounts, organic accounts at least as
    many as campaign ones and at their own (lower) activity, no amplifiers in China, every tactic several
    accounts."""
    df = _plan_counts(release)
    camp, org = df[~df["is_control"]], df[df["is_control"]]
    measured, real = DEFAULT_SHAPE[release]
    assert round(camp["n"].mean()) == measured and abs(measured / real - 1) < 0.1
    assert len(org) >= len(camp) and org["n"].mean() < camp["n"].mean()
    roles = camp["role"].value_counts()
    if release == "synth_china_052020":
        assert "amplifier" not in roles and roles["core"] >= 100
    elif release == "synth_russia_052020":
        assert roles["official_poser"] >= 2 and roles["commercial"] >= 5 and roles["core"] >= 4
    else:
        rings = camp.loc[camp["role"] == "ring", "group"]
        assert rings.nunique() >= 3 and rings.value_counts().min() >= 6
        assert roles["compromised"] >= 2 and roles["single_issue"] >= 5


def test_china_amplifiers_are_an_option() -> None:
    df = _plan_counts("synth_china_052020", china_amplifiers=True)
    amp = df[df["role"] == "amplifier"]
    assert len(amp) > 100 and (df.loc[df["group"].str.startswith("amplification_"), "role"] == "core").any()
    assert not _plan_counts("synth_china_052020")["group"].str.startswith("amplification").any()


def test_some_newcomers_have_no_bio_and_few_followers(archive: dict[str, list[Path]]) -> None:
    new = pd.concat([_with_roles(r, files) for r, files in archive.items()])
    new = new[new["role"] == "organic_newcomer"].drop_duplicates("userid")
    assert ((new["follower_count"].astype(int) <= 5) & (new["user_profile_description"] == "")).any()
