"""Topic overview of a release: BERTopic's own plotly figures from the saved group models (intertopic distance
map, top words, topics over time), or plotly figures from the assignments when no model was saved.

The distance map's layout (a UMAP fit, ~11 s of numba compilation in a fresh process) is the one the topics stage
saved beside the model (``topics.pipeline.write_distance_map``); it is recomputed only for models saved without it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..paths import processed_dir
from . import data

TOP_TOPICS = 8  # topics per bar chart and over-time figure
MAP_SIZE = 650  # px: ``visualize_topics``' default width and height


def model_groups(release: str, work_dir: str | Path) -> dict[str, dict[int, int]]:
    """The saved group models of the topics stage: group -> {local topic id: release topic id}."""
    folder = processed_dir(release, work_dir) / "topic_model"
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return {}
    groups = json.loads(manifest.read_text())["groups"]
    return {g: {int(k): int(v) for k, v in info["topic_map"].items()} for g, info in groups.items()
            if (folder / g / "config.json").is_file()}


def figures(release: str, work_dir: str | Path) -> list[tuple[str, object]]:
    """(caption, plotly figure) pairs for the release's topic section; empty when the topics stage has not run."""
    if data.topics_file(release, work_dir) is None:
        return []
    groups = model_groups(release, work_dir)
    if not groups:
        return _from_assignments(release, work_dir)
    from ..topics.pipeline import MAP_MIN_TOPICS, load_model

    out = []
    for group, topic_map in groups.items():
        folder = processed_dir(release, work_dir) / "topic_model" / group
        model = load_model(folder)
        n_topics = len([t for t in model.get_topics() if t != -1])
        title = f"{release}, {group} script group"
        if n_topics >= MAP_MIN_TOPICS:
            out.append((f"{title}: intertopic distance map (BERTopic; circle size = tweets the model was fitted on)",
                        distance_map(model, folder, f"<b>{title}: intertopic distance map</b>")))
        if n_topics:
            out.append((f"{title}: top words per topic (BERTopic, c-TF-IDF scores)",
                        model.visualize_barchart(top_n_topics=TOP_TOPICS, n_words=6,
                                                 title=f"<b>{title}: topic words</b>")))
        over_time = _over_time_frame(model, topic_map, data.weekly_topics(release, work_dir, group))
        if len(over_time):
            out.append((f"{title}: tweets per week and topic, all tweets of the group (BERTopic)",
                        model.visualize_topics_over_time(over_time, top_n_topics=TOP_TOPICS,
                                                         title=f"<b>{title}: topics over time</b>")))
    return out


def distance_map(model, folder: Path, title: str):
    """``model.visualize_topics(title=title)``, drawn from the layout saved in ``folder`` when there is one:
    the same frame (x, y, Topic, Words, Size) handed to the same BERTopic plotting function."""
    from bertopic.plotting._topics import _plotly_topic_visualization

    from ..topics.pipeline import read_distance_map

    layout = read_distance_map(folder)
    if layout is None:
        return model.visualize_topics(title=title)
    topics = [int(t) for t in layout["topic"]]
    frame = pd.DataFrame({"x": layout["x"].to_numpy(), "y": layout["y"].to_numpy(), "Topic": topics,
                          "Words": [" | ".join(w for w, _ in model.get_topic(t)[:5]) for t in topics],
                          "Size": [model.topic_sizes_[t] for t in topics]})
    return _plotly_topic_visualization(frame, topics, title, MAP_SIZE, MAP_SIZE)


def _over_time_frame(model, topic_map: dict[int, int], weekly: pd.DataFrame) -> pd.DataFrame:
    """BERTopic's ``topics_over_time`` table (Topic, Words, Frequency, Timestamp) from the saved assignments,
    in the group model's own topic ids (the assignments carry release ids, after cross-script linking)."""
    local = {release_id: local_id for local_id, release_id in topic_map.items() if local_id != -1}
    weekly = weekly[weekly["topic"].isin(list(local))]
    if weekly.empty:
        return pd.DataFrame(columns=["Topic", "Words", "Frequency", "Timestamp"])
    topics = weekly["topic"].map(local)
    words = {t: ", ".join(w for w, _ in (model.get_topic(t) or [])[:5]) for t in set(topics)}
    return pd.DataFrame({"Topic": topics.to_numpy(), "Words": topics.map(words).to_numpy(),
                         "Frequency": weekly["tweets"].to_numpy(),
                         "Timestamp": pd.to_datetime(weekly["week"]).to_numpy()})


def _from_assignments(release: str, work_dir: str | Path) -> list[tuple[str, object]]:
    """Without saved models: topic sizes and tweets per week of the largest topics, from the assignments."""
    import plotly.express as px

    sizes = data.topic_sizes(release, work_dir)
    sizes = sizes[sizes["topic"] >= 0].head(TOP_TOPICS * 2)
    bars = px.bar(sizes, x="tweets", y="topic_label", orientation="h", hover_data=["accounts", "group"],
                  title=f"{release}: largest topics (tweets)", template="plotly_white")
    bars.update_layout(yaxis={"autorange": "reversed", "title": ""}, height=60 + 28 * len(sizes))
    weekly = data.weekly_topics(release, work_dir)
    weekly = weekly[weekly["topic"].isin(sizes["topic"].head(TOP_TOPICS))]
    lines = px.line(weekly, x="week", y="tweets", color="topic_label", template="plotly_white",
                    title=f"{release}: tweets per week of the largest topics")
    return [(f"{release}: topic sizes (from the assignments; no saved topic model)", bars),
            (f"{release}: topics over time (from the assignments)", lines)]
