"""The release registry (ioa_utils/data/releases.yaml): every entry is well formed and cited, official and
synthetic ids resolve to the right release, an unknown release is an error naming the parameter to set (never
UTC), and the JupyterLab kernel of `make lab` is this environment's, CPU-pinned."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest
import yaml

from ioa_utils import cpu, registry
from ioa_utils.casestudy import guess_timezone
from ioa_utils.discover import release_id
from ioa_utils.paths import PROJECT_ROOT

# ISO 639-1 (two-letter) language codes.
ISO_639_1 = set(
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en "
    "eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja "
    "jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb "
    "nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq "
    "sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split())
CONFIDENCE = {"confirmed", "inferred", "unverified"}
LANGUAGES_FROM = {"announcement", "sio", "fixture", "target", "country"}
RAW = yaml.safe_load((PROJECT_ROOT / "ioa_utils" / "data" / "releases.yaml").read_text(encoding="utf-8"))


def test_every_entry_is_well_formed_and_cited():
    zones = available_timezones()
    entries = registry.releases()
    assert len(entries) == len(RAW["releases"]) >= 40
    for r in entries:
        assert r.pattern.fullmatch(r.id), f"{r.id}: its pattern does not match its own id"
        others = [o.id for o in entries if o is not r and o.pattern.fullmatch(r.id)]
        assert not others, f"{r.id} is also matched by {others}"
        assert r.timezones and all(z in zones for z in r.timezones), f"{r.id}: {r.timezones}"
        ZoneInfo(r.timezone)
        assert isinstance(r.announced, dt.date) and dt.date(2018, 10, 1) <= r.announced <= dt.date(2021, 12, 31)
        assert r.languages and set(r.languages) <= ISO_639_1, f"{r.id}: {r.languages}"
        assert r.languages_from in LANGUAGES_FROM, r.id
        assert any(s.startswith(("http://", "https://")) for s in r.sources), f"{r.id}: no source URL"
        assert r.confidence in CONFIDENCE, r.id
        if r.confidence != "confirmed":
            assert r.notes, f"{r.id}: say why it is {r.confidence}"
        assert r.country and r.actor and (r.accounts is None or r.accounts > 0)
    assert len({r.id.lower() for r in entries}) == len(entries)


def test_source_keys_all_resolve():
    for e in RAW["releases"]:
        assert e["sources"] and all(k in RAW["sources"] for k in e["sources"]), e["id"]


@pytest.mark.parametrize(("name", "rid", "country"), [
    ("china_052020_tweets_csv_hashed.zip", "china_052020", "China"),
    ("hashed_2020_09_thailand_092020_thailand_092020_tweets_csv_hashed.zip", "thailand_092020", "Thailand"),
    ("RNA_0621_tweets_csv_hashed_2019.csv", "RNA_0621", "Russia"),
    ("hashed_2021_12_RNA_0621_RNA_0621_users_csv_hashed.csv", "RNA_0621", "Russia"),
    ("ira_tweets_csv_hashed.csv", "ira", "Russia"),
    ("iranian_tweets_csv_hashed.csv", "iranian", "Iran"),
    ("russia_201901_1", "russia_201901_1", "Russia"),
    ("venezuela_201906_1", "venezuela_201906_1", "Venezuela"),
    ("venezuela_201901_2", "venezuela_201901_1", "Venezuela"),
    ("catalonia_201906_1", "catalonia_201906_1", "Spain"),
    ("china_082019_1", "china_082019_1", "China"),
    ("china_082019_3", "china_082019_3", "China"),
    ("egypt_uae_082019_1", "egypt_uae_082019_1", "Egypt and United Arab Emirates"),
    ("saudi_arabia_112019", "saudi_arabia_112019", "Saudi Arabia"),
    ("turkey_052020", "turkey_052020", "Turkey"),
    ("russia_052020", "russia_052020", "Russia"),
    ("cuba_082020", "cuba_082020", "Cuba"),
    ("qatar_082020", "qatar_082020", "Saudi Arabia"),  # named after its target
    ("GRU_202012", "GRU_202012", "Russia"),
    ("ira_092020", "ira_092020", "Russia"),
    ("CNHU_0621", "CNHU_0621", "China"),
])
def test_official_ids_resolve(name, rid, country):
    r = registry.lookup(name)
    assert r is not None and (r.id, r.country) == (rid, country)


def test_time_zones_of_known_releases():
    assert registry.timezone_for("hashed_2020_09_thailand_092020_thailand_092020") == "Asia/Bangkok"
    assert registry.timezone_for("RNA_0621") == "Europe/Moscow"
    assert registry.timezone_for("iranian") == "Asia/Tehran"
    assert registry.lookup("ira").timezones[0] == "Europe/Moscow" and len(registry.lookup("ira").timezones) > 1


@pytest.mark.parametrize(("synthetic", "original", "zone", "actor"), [
    ("synth_china_052020", "china_052020", "Asia/Shanghai", "PRC"),
    ("synth_russia_052020", "russia_052020", "Europe/Moscow", "Current Policy"),
    ("synth_turkey_052020", "turkey_052020", "Europe/Istanbul", "AKP"),
])
def test_synthetic_releases_resolve_to_their_june_2020_originals(synthetic, original, zone, actor):
    r = registry.lookup(synthetic)
    assert r.id == original and r.announced == dt.date(2020, 6, 11) and actor in r.actor
    assert registry.timezone_for(synthetic) == guess_timezone(synthetic) == zone


def test_the_real_fixture_files_resolve(real_dir):
    names = [p.name for p in (real_dir / "rna_0621").iterdir() if release_id(p.name)]
    assert names and {registry.lookup(n).id for n in names} == {"RNA_0621"}
    assert registry.lookup(names[0]).accounts == 50


def test_unknown_release_raises_naming_the_parameters():
    with pytest.raises(registry.UnknownReleaseError) as err:
        registry.timezone_for("narnia_072021")
    msg = str(err.value)
    assert "'narnia_072021'" in msg and "`timezone`" in msg and "`timezones" in msg and "UTC" in msg
    with pytest.raises(registry.UnknownReleaseError):
        guess_timezone("narnia_072021")
    assert registry.lookup("narnia_072021") is None
    assert registry.lookup("synth_narnia_052020") is None
    assert guess_timezone("narnia_072021", default="Europe/Oslo") == "Europe/Oslo"  # an explicit choice only


def test_an_override_wins():
    assert registry.timezone_for("china_052020", override="Asia/Hong_Kong") == "Asia/Hong_Kong"
    assert registry.timezone_for("narnia_072021", override="Asia/Bangkok") == "Asia/Bangkok"


def _parameters_cell(nb: str) -> str:
    cells = json.loads((PROJECT_ROOT / "notebooks" / nb).read_text())["cells"]
    return next("".join(c["source"]) for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))


@pytest.mark.parametrize(("nb", "name"), [("05_case_china.ipynb", "timezone"), ("06_case_russia.ipynb", "timezone"),
                                          ("07_case_turkey.ipynb", "timezone"), ("08_comparison.ipynb", "timezones")])
def test_the_parameters_the_error_names_exist(nb, name):
    assert re.search(rf"^{name} = ", _parameters_cell(nb), re.M), f"{nb} has no `{name}` parameter"
    assert f"`{name}" in registry.PARAMETERS


def test_the_registry_is_package_data():
    setuptools = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = setuptools["package-data"]["ioa_utils"]
    assert any(Path("data/releases.yaml").match(p) for p in patterns)


# --- JupyterLab (`make lab`) -------------------------------------------------------------------------------

def test_the_python3_kernelspec_is_this_environments(monkeypatch):
    """What `make lab` gets: the `python3` kernelspec of this environment, started by this environment's Python."""
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "1")  # as `make lab` sets it
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert Path(spec.resource_dir).resolve().is_relative_to(Path(sys.prefix).resolve()), spec.resource_dir
    cmd = KernelManager(kernel_name="python3").format_kernel_cmd()
    assert Path(cmd[0]).absolute() == Path(sys.executable).absolute(), cmd


def test_a_kernel_started_like_jupyterlab_starts_cpu_pinned():
    """A kernel started through jupyter_client, from an environment without the pins, has them (ioa_cpu_pin.pth)."""
    from jupyter_client.manager import start_new_kernel

    names = sorted({*cpu.X86_PINS, cpu.OPT_OUT})
    env = {k: v for k, v in os.environ.items() if k not in names}
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120, env=env)
    out: list[str] = []
    try:
        code = f"import json, os; print(json.dumps({{k: os.environ.get(k) for k in {names!r}}}))"
        reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    seen = json.loads("".join(out))
    assert {k: v for k, v in seen.items() if k in cpu.pins()} == cpu.pins()
