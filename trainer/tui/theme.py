"""The app's colours: Textual's own, or a high-contrast theme for trainees who need one.

`--theme high-contrast` (or `TRAINER_THEME=high-contrast`) chooses it. Every text style
the app draws under it meets WCAG 2.2 AA contrast, 4.5:1 (tests/tui/test_accessibility.py
measures every screen as drawn): white and yellow on black, a highlighted option bold and
underlined on deep blue, a focused button in reverse video, and the colours Rich text asks
for by name (a verdict's green, yellow or red) bright enough to read on black and on that
deep blue. Colour is never the only sign of anything: verdicts, ticks, places and states
are always words or symbols as well.
"""

from __future__ import annotations

import os
from typing import Any

from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.theme import Theme

from trainer.errors import UsageError

THEME_VARIABLE = "TRAINER_THEME"
"""The environment variable that chooses the theme where `--theme` is not given."""
DEFAULT = "default"
HIGH_CONTRAST = "high-contrast"
THEMES = (DEFAULT, HIGH_CONTRAST)
"""The themes a trainee can choose."""

BLACK = "#000000"
WHITE = "#FFFFFF"
YELLOW = "#FFFF00"
NAVY = "#0000A0"

HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary=YELLOW,
    secondary="#00FFFF",
    accent=YELLOW,
    warning=YELLOW,
    error="#FF8080",
    success="#66FF66",
    foreground=WHITE,
    background=BLACK,
    surface=BLACK,
    panel="#1A1A1A",
    dark=True,
    variables={
        # Text at full strength; muted and disabled text (placeholders) still well above 4.5:1.
        "text": WHITE,
        "text-muted": "#D0D0D0",
        "text-disabled": "#B0B0B0",
        "foreground-muted": "#D0D0D0",
        # A highlighted option: bold and underlined on deep blue, so that it shows without
        # colour, and every colour in it (a verdict in the preview) keeps its contrast.
        # Textual's option lists do not draw reverse video, which would have kept them too.
        "block-cursor-foreground": WHITE,
        "block-cursor-background": NAVY,
        "block-cursor-text-style": "bold underline",
        "block-cursor-blurred-foreground": WHITE,
        "block-cursor-blurred-background": BLACK,
        "block-cursor-blurred-text-style": "underline",
        "block-hover-background": BLACK,
        "border": YELLOW,
        "border-blurred": WHITE,
        "footer-foreground": WHITE,
        "footer-background": BLACK,
        "footer-key-foreground": YELLOW,
        "footer-key-background": BLACK,
        "footer-description-foreground": WHITE,
        "footer-description-background": BLACK,
        "footer-item-background": BLACK,
        "button-foreground": WHITE,
        "button-color-foreground": BLACK,
        "button-focus-text-style": "bold reverse",
        "input-cursor-foreground": BLACK,
        "input-cursor-background": WHITE,
        "input-selection-foreground": BLACK,
        "input-selection-background": "#00FFFF",
        "link-color": YELLOW,
        "scrollbar": WHITE,
        "scrollbar-hover": YELLOW,
        "scrollbar-active": YELLOW,
        "scrollbar-background": "#333333",
    },
)
"""White and yellow on black."""

HIGH_CONTRAST_ANSI = TerminalTheme(
    (0, 0, 0),
    (255, 255, 255),
    [
        (0, 0, 0),
        (255, 128, 128),
        (102, 255, 102),
        (255, 255, 0),
        (128, 170, 255),
        (255, 128, 255),
        (0, 255, 255),
        (230, 230, 230),
        (200, 200, 200),
    ],
    [
        (255, 160, 160),
        (150, 255, 150),
        (255, 255, 128),
        (170, 200, 255),
        (255, 170, 255),
        (128, 255, 255),
        (255, 255, 255),
    ],
)
"""The colours Rich text names (`bold green` for an aligned verdict, ...), as drawn under the
high-contrast theme: bright on black. Black stays black, so nothing is drawn in it."""


def theme_name(given: str | None) -> str:
    """The theme chosen: `--theme`, else TRAINER_THEME, else the default.

    Raises:
        UsageError: a theme that does not exist (named, with those that do).
    """
    name = given or os.environ.get(THEME_VARIABLE) or DEFAULT
    if name not in THEMES:
        where = "--theme" if given else THEME_VARIABLE
        raise UsageError(
            f"trainer: {where} {name!r} is not a theme: choose {' or '.join(THEMES)}"
        )
    return name


def apply_theme(app: App[Any], name: str) -> None:
    """Give an app (not yet running, or running) the theme of this name."""
    if name == HIGH_CONTRAST:
        app.register_theme(HIGH_CONTRAST_THEME)
        app.ansi_theme_dark = HIGH_CONTRAST_ANSI
        app.theme = HIGH_CONTRAST
