"""Plotly timeline of a release: tweets per day, its largest topics per day, and dated real-world events."""

from __future__ import annotations

import html

import pandas as pd

from .events import Event

TOP_TOPICS = 8  # topics drawn per timeline (legend entries, hidden until clicked)


def figure(release: str, daily: pd.DataFrame, topics: pd.DataFrame, events: list[Event]):
    """``daily``: day, tweets; ``topics``: day, topic, topic_label, tweets (may be empty); events as dashed
    vertical lines with a hover marker each (date, label, source)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=daily["day"], y=daily["tweets"], mode="lines", name="all tweets",
                             line={"color": "#444", "width": 1.5}, hovertemplate="%{x|%Y-%m-%d}: %{y:,} tweets"))
    for _, t in topics.groupby("topic", sort=False):
        label = str(t["topic_label"].iloc[0])
        fig.add_trace(go.Scatter(x=t["day"], y=t["tweets"], mode="lines", name=_short(label), visible="legendonly",
                                 hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:,}} tweets<extra>{html.escape(label)}</extra>"))
    top = float(daily["tweets"].max()) if len(daily) else 1.0
    for e in events:
        fig.add_vline(x=e.date.isoformat(), line={"dash": "dot", "color": "#c0392b", "width": 1})
    if events:
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(e.date) for e in events], y=[top * 1.05] * len(events), mode="markers",
            name="events", marker={"symbol": "triangle-down", "size": 10, "color": "#c0392b"},
            text=[html.escape(e.label) for e in events], customdata=[e.source for e in events],
            hovertemplate="%{x|%Y-%m-%d}<br>%{text}<br><i>%{customdata}</i><extra>event</extra>"))
    fig.update_layout(title=f"{release}: tweets per day (UTC) and real-world events", xaxis_title="day",
                      yaxis_title="tweets", hovermode="closest", template="plotly_white", height=480,
                      legend={"title": "click to show topics"}, xaxis={"rangeslider": {"visible": True}})
    return fig


def events_table(events: list[Event]) -> str:
    """The events shown, with their sources, as an HTML table."""
    if not events:
        return "<p class='muted'>No curated event falls within this release's dates.</p>"
    rows = "".join(f"<tr><td>{e.date.isoformat()}</td><td>{html.escape(e.label)}</td>"
                   f"<td><a href='{html.escape(e.source, quote=True)}'>{html.escape(e.source)}</a></td></tr>"
                   for e in events)
    return f"<table><tr><th>date</th><th>event</th><th>source</th></tr>{rows}</table>"


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
