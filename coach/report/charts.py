"""A rep's progress over time as a chart: in the terminal (plotext, for `coach
team --rep` and, through textual-plotext, the review app) and as inline SVG for
the HTML report. Both draw the same points: the scores in force, oldest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape


_BLOCKS = "▁▂▃▄▅▆▇█"


def spark(values: Sequence[float], lo: float = 0.0, hi: float = 100.0) -> str:
    """One block character per value, scaled between lo and hi: ``▂▃▅▇``."""
    span = (hi - lo) or 1.0
    out = []
    for v in values:
        frac = max(0.0, min(1.0, (v - lo) / span))
        out.append(_BLOCKS[min(len(_BLOCKS) - 1, int(frac * len(_BLOCKS)))])
    return "".join(out)


@dataclass(frozen=True)
class Point:
    """One finished session on a progress chart."""

    when: str  # ISO date-time
    score: float
    session_id: int
    label: str = ""


def draw_progress(plt: Any, points: Sequence[Point], *, title: str = "", pass_mark: float | None = None,
                  width: int | None = None, height: int | None = None) -> None:
    """Draw ``points`` on a plotext figure: ``plt`` is the plotext module, or
    textual-plotext's ``PlotextPlot.plt``. Scores 0-100 up; sessions in order
    left to right (evenly spaced, as reps practise in bursts), a few dated;
    a horizontal line at ``pass_mark``."""
    plt.clear_figure()
    if width and height:
        plt.plotsize(width, height)
    if title:
        plt.title(title)
    plt.ylim(0, 100)
    plt.yticks([0, 20, 40, 60, 80, 100])
    plt.xlabel("sessions, oldest first")
    if not points:
        return
    xs = list(range(1, len(points) + 1))
    scores = [p.score for p in points]
    plt.plot(xs, scores, marker="braille")
    plt.scatter(xs, scores, marker="●")
    if pass_mark is not None:
        plt.hline(pass_mark)
    plt.xlim(0.5, len(points) + 0.5)
    shown = sorted({0, len(points) - 1, (len(points) - 1) // 2})
    plt.xticks([xs[i] for i in shown], [points[i].when[:10] for i in shown])


def terminal_progress(points: Sequence[Point], *, title: str, pass_mark: float | None = None, width: int = 72,
                      height: int = 16, color: bool = False) -> str:
    """The progress chart as text for a terminal (ANSI colours only if ``color``)."""
    import plotext as plt

    draw_progress(plt, points, title=title, pass_mark=pass_mark, width=width, height=height)
    plt.theme("clear" if not color else "pro")
    out = plt.build()
    plt.clear_figure()
    return out if color else plt.uncolorize(out)


def svg_progress(points: Sequence[Point], *, width: int = 640, height: int = 220,
                 pass_mark: float | None = None) -> Markup:
    """The progress chart as an inline SVG element (no script, no network):
    sessions evenly spaced left to right (oldest first), score 0-100 up."""
    left, right, top, bottom = 36, 12, 12, 28
    w, h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (w * i / (len(points) - 1) if len(points) > 1 else w / 2)

    def y(score: float) -> float:
        return top + h * (1 - max(0.0, min(100.0, score)) / 100)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Scores over time">']
    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<line class="grid" x1="{left}" x2="{left + w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
                     f'<text class="tick" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    if pass_mark is not None:
        parts.append(f'<line class="pass" x1="{left}" x2="{left + w}" y1="{y(pass_mark):.1f}" y2="{y(pass_mark):.1f}"/>')
    if points:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(p.score):.1f}" for i, p in enumerate(points))
        parts.append(f'<path class="line" d="{path}"/>')
        for i, p in enumerate(points):
            tip = escape(f"session {p.session_id}, {p.when[:10]}: {p.score:.0f}" + (f" ({p.label})" if p.label else ""))
            parts.append(f'<circle class="dot" cx="{x(i):.1f}" cy="{y(p.score):.1f}" r="3.5"><title>{tip}</title></circle>')
        parts.append(f'<text class="tick" x="{left}" y="{height - 8}">{escape(points[0].when[:10])}</text>')
        if len(points) > 1:
            parts.append(f'<text class="tick" x="{left + w}" y="{height - 8}" text-anchor="end">'
                         f'{escape(points[-1].when[:10])}</text>')
    else:
        parts.append(f'<text class="tick" x="{left + w / 2}" y="{top + h / 2}" text-anchor="middle">'
                     "no finished sessions yet</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
