"""Chinese glyphs render in figures from the pip-installed font, with no missing-glyph warning."""

from __future__ import annotations

import warnings

import matplotlib
import pandas as pd
import pytest

from ioa_utils import fonts
from ioa_utils.topics import figures

matplotlib.use("Agg")

ZH = ["0_香港_暴徒_修例", "1_新冠病毒_武汉", "2_台湾_选举"]


def _no_glyph_warnings(draw) -> None:
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning: fail on it
        fig = draw()
        fig.canvas.draw()
    plt.close(fig)


def test_font_ships_in_the_environment():
    path = fonts.font_file()
    assert path.is_file() and path.suffix == ".ttc" and "site-packages" in path.parts
    assert fonts.register() == fonts.CJK_FONT


def test_topic_figures_draw_chinese_words():
    share = pd.DataFrame([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]], index=["amplifier", "core"], columns=ZH)
    _no_glyph_warnings(lambda: figures.plot_share(share, "主题 share"))
    weekly = pd.DataFrame({"topic_label": ZH * 2, "week": ["2019-06-03"] * 3 + ["2019-06-10"] * 3,
                           "n_tweets": [5, 3, 1, 2, 4, 6]})
    _no_glyph_warnings(lambda: figures.plot_over_time(weekly, "每周"))
    assert figures._short(ZH) == ZH  # the words themselves, not a pointer to the table


def test_shared_plots_module_registers_after_its_theme():
    import matplotlib.pyplot as plt

    from ioa_utils import plots  # noqa: F401  (sets the seaborn theme, then the fonts)

    assert matplotlib.rcParams["font.family"][:2] == [fonts.BASE_FONT, fonts.CJK_FONT]

    def draw():
        fig, ax = plt.subplots()
        ax.bar(["香港", "Москва", "İstanbul"], [1, 2, 3])
        ax.set_title("新冠病毒")
        return fig

    _no_glyph_warnings(draw)


def test_without_the_font_matplotlib_would_warn():
    """The check above can fail: DejaVu Sans alone has no CJK glyphs."""
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": [fonts.BASE_FONT]}), pytest.warns(UserWarning, match="missing"):
        fig, ax = plt.subplots()
        ax.set_title("香港")
        fig.canvas.draw()
    plt.close(fig)
