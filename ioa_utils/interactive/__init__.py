"""The interactive companion report: standalone HTML pages (plotly, BERTopic's plotly figures, pyvis networks)
in ``reports/interactive/``, written by the pipeline after the notebooks; ``links_html`` is the index's section
linking them."""

from .build import links_html, write

__all__ = ["links_html", "write"]
