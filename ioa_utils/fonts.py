"""Chinese, Japanese and Korean glyphs in every matplotlib figure, from a font shipped in a pip package.

``noto-cjk-sans-otc`` installs Noto Sans CJK (SIL Open Font License 1.1) as a font collection inside the
environment, so no system font and no download is needed. ``register()`` adds it to matplotlib's font manager
and sets the font family to DejaVu Sans then Noto Sans CJK SC: matplotlib draws each glyph from the first font of
that list that has it (Latin, Cyrillic and Arabic from DejaVu Sans, CJK from Noto Sans CJK).
"""

from __future__ import annotations

from pathlib import Path

BASE_FONT = "DejaVu Sans"  # matplotlib's own default; it covers Latin, Cyrillic and Arabic
CJK_FONT = "Noto Sans CJK SC"


def font_file() -> Path:
    """The packaged Noto Sans CJK collection (``.ttc``)."""
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


def register() -> str:
    """Register the CJK font with matplotlib (once) and make it the fallback of the sans-serif family; return
    its family name. Call again after anything that resets rcParams (``seaborn.set_theme`` does)."""
    import matplotlib as mpl
    from matplotlib import font_manager

    path = font_file()
    known = [f for f in font_manager.fontManager.ttflist if Path(f.fname) == path]
    if not known:
        font_manager.fontManager.addfont(str(path))
        known = [f for f in font_manager.fontManager.ttflist if Path(f.fname) == path]
    # matplotlib registers a collection once per face (JP, KR, SC, TC, HK, Mono): prefer Simplified Chinese
    names = [f.name for f in known]
    family = CJK_FONT if CJK_FONT in names else names[0]
    # per-glyph fallback runs over the fonts named in font.family (a generic "sans-serif" resolves to one font)
    mpl.rcParams["font.family"] = [BASE_FONT, family]
    return family
