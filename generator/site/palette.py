"""Colour contrast of the site's palette, so ``ea build`` can warn when a
council's own ``mkdocs.yml`` colours would make links or the site title
unreadable (WCAG 2.2 AA: 4.5:1 for text).

The colours of a named palette (``primary: teal``) are read from the theme's
own style sheet, and ``custom`` from the product's ``ea.css``, so the check
follows the theme rather than a copied table.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

#: the theme's backgrounds: white in the light scheme, hsla(hue, 15%, 14%) in slate
LIGHT_BG = "#ffffff"
SLATE_BG = "#1e2029"
#: WCAG 2.2 AA for normal text
TEXT_RATIO = 4.5

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_VAR = re.compile(r"(--md-[a-z-]+)\s*:\s*([^;]+)")


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def parse_colour(text: str, ground: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> tuple[float, float, float] | None:
    """``#rgb``, ``#rrggbb(aa)`` or ``hsl(a)(...)`` as RGB in 0..1, a
    translucent colour laid over ``ground``; None for anything else."""
    text = text.strip().lower().replace("var(--md-hue)", "225")
    alpha = 1.0
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        if len(digits) not in (6, 8) or not re.fullmatch(r"[0-9a-f]+", digits):
            return None
        rgb = tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
        if len(digits) == 8:
            alpha = int(digits[6:8], 16) / 255
    else:
        match = re.fullmatch(
            r"hsla?\(\s*([\d.]+)(?:deg)?\s*,\s*([\d.]+)%\s*,\s*([\d.]+)%\s*(?:,\s*([\d.]+))?\s*\)", text
        )
        if not match:
            return None
        h, s, lightness = float(match[1]) / 360, float(match[2]) / 100, float(match[3]) / 100
        rgb = colorsys.hls_to_rgb(h, lightness, s)
        alpha = float(match[4]) if match[4] else 1.0
    return tuple(alpha * c + (1 - alpha) * g for c, g in zip(rgb, ground, strict=True))  # type: ignore[return-value]


def luminance(rgb: tuple[float, float, float]) -> float:
    r, g, b = (_channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours (a translucent foreground is
    laid over the background)."""
    bg = parse_colour(background)
    if bg is None:
        raise ValueError(f"not a colour: {background!r}")
    fg = parse_colour(foreground, bg)
    if fg is None:
        raise ValueError(f"not a colour: {foreground!r}")
    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@lru_cache(maxsize=1)
def _style_sheets() -> str:
    """The theme's palette style sheet followed by the product's (later rules win)."""
    texts = []
    try:
        import material

        folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("palette.*.min.css"))]
    except (ImportError, OSError):
        pass
    texts.append((resources.files("generator") / "assets" / "ea.css").read_text(encoding="utf-8"))
    return "\n".join(re.sub(r"/\*.*?\*/", "", t, flags=re.S) for t in texts)


def _variables(name: str, *, slate: bool) -> dict[str, str]:
    """The ``--md-*`` variables a page with this primary colour and scheme gets."""
    out: dict[str, str] = {}
    mine = f"[data-md-color-primary={name}]"
    for selectors, body in _RULE.findall(_style_sheets()):
        for selector in (s.strip() for s in selectors.split(",")):
            selector = selector.replace('"', "").replace("@media screen", "").strip()
            if mine not in selector or " " in selector.replace(":not([data-md-color-scheme=slate])", ""):
                continue
            for_slate = "[data-md-color-scheme=slate]" in selector.replace(":not([data-md-color-scheme=slate])", "")
            not_slate = ":not([data-md-color-scheme=slate])" in selector
            if (for_slate and not slate) or (not_slate and slate):
                continue
            out.update({k: v.strip() for k, v in _VAR.findall(body)})
            break
    return out


@dataclass(frozen=True)
class PaletteProblem:
    scheme: str  # "light" or "dark"
    primary: str
    what: str
    ratio: float

    def message(self) -> str:
        return (
            f"the {self.scheme} colour scheme with primary colour '{self.primary}': {self.what} "
            f"has a contrast of {self.ratio:.2f}:1, below the {TEXT_RATIO}:1 that WCAG 2.2 AA asks for. "
            "Choose 'primary: custom' (the product's accessible teal) or a darker colour such as indigo."
        )


def check_primary(primary: str, *, slate: bool) -> list[PaletteProblem]:
    """Where one primary colour fails in one scheme (nothing for a colour the
    style sheets do not know: it cannot be checked)."""
    name = str(primary).strip().lower().replace(" ", "-")
    values = _variables(name, slate=slate)
    fg = values.get("--md-primary-fg-color")
    if fg is None:
        return []
    scheme = "dark" if slate else "light"
    ground = SLATE_BG if slate else LIGHT_BG
    link = values.get("--md-typeset-a-color", fg)
    if link.startswith("var("):
        link = fg
    problems = []
    pairs = [
        ("the colour of links on the page", link, ground),
        ("the site title on the header", values.get("--md-primary-bg-color", "#fff"), fg),
    ]
    for what, colour, behind in pairs:
        try:
            ratio = contrast(colour, behind)
        except ValueError:
            continue
        if ratio < TEXT_RATIO:
            problems.append(PaletteProblem(scheme, name, what, ratio))
    return problems


def _palettes(theme: dict[str, Any]) -> Iterable[dict[str, Any]]:
    palette = theme.get("palette")
    if isinstance(palette, dict):
        yield palette
    elif isinstance(palette, list):
        yield from (p for p in palette if isinstance(p, dict))


def palette_problems(theme: dict[str, Any]) -> list[str]:
    """Messages for each colour in the theme settings that fails contrast,
    in the order the settings give them."""
    out: list[str] = []
    for palette in _palettes(theme):
        primary = palette.get("primary", "indigo")
        slate = str(palette.get("scheme", "default")) == "slate"
        out += [p.message() for p in check_primary(str(primary), slate=slate)]
    return list(dict.fromkeys(out))
