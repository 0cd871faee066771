# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=[]
# # 01 · Loading the archive
#
# **Question.** What does each release of the archive contain, and can its files be trusted as data?
#
# Twitter published every takedown as hashed CSV files, often zipped and split per year, in a format that
# changed over the years (column order, booleans, float-written ids). This notebook finds the releases in a
# folder, reads every file by column *name*, validates it, and writes a typed copy as Parquet that all later
# notebooks read. Raw files are only ever read.
#
# | | |
# |---|---|
# | **Inputs** | `raw_dir`: a folder of official archive files (default: the synthetic mini-archive, generated if missing) |
# | **Outputs** | `data/interim/<release>/`: `users.parquet`, `tweets/part-*.parquet`, `load_report.json` |
# | **Parameters** | `raw_dir`, `work_dir`, `releases`, and for the synthetic archive `seed`, `scale` |

# %% tags=["parameters"]
raw_dir = "data/raw/synthetic"  # folder of releases, searched recursively (relative to the project root)
work_dir = "data"  # where interim/ and processed/ tables are written
releases = None  # None: every release found; or a list of release ids
seed = 2020  # synthetic archive only: generator seed
scale = 1.0  # synthetic archive only: multiplies the number of accounts

# %% tags=[]
from ioa_utils import discover, paths, plots, profile, stages
from ioa_utils.workspace import Workspace

ws = Workspace(raw_dir, work_dir, seed, scale)
synthetic = stages.is_synthetic(ws.raw_dir)
print(f"data: {paths.display(ws.raw_dir)} ({'synthetic' if synthetic else 'real'} archive)")

# %% [markdown] tags=[]
# ## 1. Find the files
#
# *Why:* a release is a set of files (users, tweets, sometimes one tweets file per year, zipped or not). They
# are grouped by the release name in their file names, so a folder can hold several releases. The synthetic
# archive is generated first if this is the default folder (same seed and scale → byte-identical files).

# %% tags=[]
if synthetic:
    stages.ensure_synthetic(ws.raw_dir, ws.seed, ws.scale)
discover.files_table(ws.raw_dir, releases)

# %% [markdown] tags=[]
# ## 2. Read, validate and type every file
#
# *Why:* every later result depends on reading the files right. Columns are matched by name; ids stay strings
# (hashed ids are base64, and parsing numeric ids as floats would corrupt them); `True`/`true`, `absent`
# coordinates and Python-repr lists are typed; files are streamed in blocks so a release larger than memory
# loads; duplicate tweet ids are dropped and counted. A file that is not an archive file (missing columns,
# corrupt zip, wrong encoding) stops the run with an error naming the file and the problem. Results are cached
# by the SHA-256 of the input files.

# %% tags=[]
releases = ws.prepare(releases)
releases

# %% [markdown] tags=[]
# ## 3. What each release contains
#
# *Why:* before any analysis, the basic shape of each release (accounts, tweets, period) and anything odd in
# the files. The data-quality column lists what the reader found and how it was handled: duplicate ids
# dropped, float-written tweet-id references kept as given but flagged as lossy, retweets whose
# `retweet_userid` is empty (the account is then resolved from the `RT @name` prefix where possible).

# %% tags=[]
profile.load_table(releases, ws.work_dir)

# %% [markdown] tags=[]
# Per file: the number of data rows (counted by the CSV parser, since tweet texts contain newlines) and the
# column layout (30 or 31 columns; the old or new order of the reply-id columns).

# %% tags=[]
profile.file_table(releases, ws.work_dir)

# %% [markdown] tags=[]
# ## 4. When did they tweet?
#
# *Why:* the volume over time shows each operation's active period and bursts at a glance (log scale: the
# releases differ by orders of magnitude).

# %% tags=[]
plots.show(plots.volume_over_time(profile.monthly_volume(releases, ws.work_dir), "month", "release",
                                  "Tweets per month"))

# %% [markdown] tags=[]
# **Next:** `02_clean.ipynb` turns these typed tables into analysis tables (tweet kinds, normalized text,
# hashtags, URLs, mentions, accounts).

# %% [markdown] tags=[]
# ## Limitations
#
# - Twitter's attribution of each release is taken as given: the archive says which accounts Twitter
#   removed, not how it found them, so anything learned here is about the accounts Twitter chose to
#   disclose.
# - User ids, screen names and some retweeted ids are hashed for accounts with few followers: accounts
#   cannot be looked up or linked to live Twitter data, and a hashed id means the same account only within
#   one release.
# - Timestamps have minute precision, so any timing finding finer than a minute is beyond the data.
# - The China release holds only the core accounts: Twitter withheld its roughly 150,000 amplifiers, so
#   amplification by accounts outside the release cannot be studied from the archive.
# - On the default data every figure describes the synthetic archive, whose content is generated: it has the
#   real releases' tweets per campaign account, but far fewer accounts, organic accounts (real releases have
#   none) and, like the real China release, no amplifiers (`data/README.md`).

# %% [markdown] tags=[]
# ## References

# %% tags=[]
from ioa_utils import references

references.section([
    "twitter_archive", "twitter_june_2020", "sio_june_2020"
], heading="")
