"""The skill's store icons, drawn from its own exercise drawings (the screen's AVG graphics).

``python -m skill.icons [DIR]`` (or ``make icons``) writes ``small.png`` (108 x 108) and
``large.png`` (512 x 512) into ``interaction_model/assets/images/``, where the skill package
refers to them as ``file://assets/images/...``. It needs Pillow (the ``icons`` extra); the
committed PNGs are what ``make skill-package`` ships and ``make certify`` checks, so neither needs
Pillow. The drawing is the ankle-circles one from ``skill/apl.py``, on the screen's background:
nothing else, and no likeness of any device.

Only what the drawings use is understood: paths with absolute ``M L H V C A Z`` commands, fills
and round-capped strokes, and groups with AVG's rotation, pivot, scale and translation.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .apl import avg_graphic

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["ICONS_DIR", "ICON_DRAWING", "ICON_SIZES", "parse_path", "render_icon", "write_icons"]

ICONS_DIR = Path(__file__).resolve().parent.parent / "interaction_model" / "assets" / "images"
# File name -> edge in pixels: the skill manifest's small and large icon (108 and 512 px PNG).
ICON_SIZES: dict[str, int] = {"small.png": 108, "large.png": 512}
ICON_DRAWING = "ankle_circles"

_BACKGROUND = "#101820"  # the screen's background (skill/apl.py)
_SUPERSAMPLE = 4  # drawn 4x larger, then reduced: smooth edges without an antialiasing renderer
_CONTENT = (
    0.74  # share of the icon's edge the 100-unit drawing spans (it stays clear of a round crop)
)
_CURVE_STEPS = 24

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]  # a b c d e f: x' = ax+cy+e, y' = bx+dy+f
_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "A": 7, "Z": 0}


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` applied after ``n``."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + c * q, b * p + d * q, a * r + c * s, b * r + d * s, a * t + c * u + e,
            b * t + d * u + f)  # fmt: skip


def _apply(m: Matrix, point: Point) -> Point:
    a, b, c, d, e, f = m
    x, y = point
    return a * x + c * y + e, b * x + d * y + f


def _group_matrix(group: dict[str, Any]) -> Matrix:
    """AVG's group transform: about the pivot, scale then rotate, then translate."""
    px, py = float(group.get("pivotX", 0)), float(group.get("pivotY", 0))
    angle = math.radians(float(group.get("rotation", 0)))
    sx, sy = float(group.get("scaleX", 1)), float(group.get("scaleY", 1))
    tx, ty = float(group.get("translateX", 0)), float(group.get("translateY", 0))
    cos, sin = math.cos(angle), math.sin(angle)
    m: Matrix = (1.0, 0.0, 0.0, 1.0, -px, -py)
    m = _multiply((sx, 0.0, 0.0, sy, 0.0, 0.0), m)
    m = _multiply((cos, sin, -sin, cos, 0.0, 0.0), m)
    return _multiply((1.0, 0.0, 0.0, 1.0, px + tx, py + ty), m)


def _arc(start: Point, args: Sequence[float]) -> list[Point]:
    """Points along an SVG elliptical arc (the endpoint form, SVG 1.1 appendix F.6.5)."""
    rx, ry, rotation, large, sweep, x2, y2 = args
    x1, y1 = start
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0 or (x1, y1) == (x2, y2):
        return [(x2, y2)]
    phi = math.radians(rotation)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    x1p, y1p = cos * dx + sin * dy, -sin * dx + cos * dy
    scale = (x1p / rx) ** 2 + (y1p / ry) ** 2
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    numerator = rx**2 * ry**2 - rx**2 * y1p**2 - ry**2 * x1p**2
    factor = math.sqrt(max(0.0, numerator / (rx**2 * y1p**2 + ry**2 * x1p**2)))
    if bool(large) == bool(sweep):
        factor = -factor
    cxp, cyp = factor * rx * y1p / ry, -factor * ry * x1p / rx
    cx = cos * cxp - sin * cyp + (x1 + x2) / 2
    cy = sin * cxp + cos * cyp + (y1 + y2) / 2

    def angle(ux: float, uy: float) -> float:
        return math.atan2(uy, ux)

    theta = angle((x1p - cxp) / rx, (y1p - cyp) / ry)
    delta = angle((-x1p - cxp) / rx, (-y1p - cyp) / ry) - theta
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    points = []
    for step in range(1, _CURVE_STEPS + 1):
        t = theta + delta * step / _CURVE_STEPS
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        points.append((cos * ex - sin * ey + cx, sin * ex + cos * ey + cy))
    return points


def _cubic(start: Point, args: Sequence[float]) -> list[Point]:
    x0, y0 = start
    x1, y1, x2, y2, x3, y3 = args
    points = []
    for step in range(1, _CURVE_STEPS + 1):
        t = step / _CURVE_STEPS
        u = 1 - t
        points.append(
            (
                u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
            )
        )
    return points


def parse_path(data: str) -> list[tuple[list[Point], bool]]:
    """AVG ``pathData`` as subpaths of points in the drawing's units, each with whether it closes.

    Parameters
    ----------
    data : str
        Absolute ``M L H V C A Z`` commands; a command's letter may be left out when it repeats
        (``M30,6 V64 ...``).

    Returns
    -------
    list of (list of (float, float), bool)
        Each subpath's points (curves and arcs cut into 24 straight pieces each).

    Raises
    ------
    ValueError
        For a command the drawings do not use (relative ones included) or missing numbers.
    """
    tokens = _TOKEN.findall(data)
    subpaths: list[tuple[list[Point], bool]] = []
    points: list[Point] = []
    command = ""
    index = 0
    current: Point = (0.0, 0.0)

    def finish(closed: bool) -> None:
        nonlocal points
        if len(points) > 1:
            subpaths.append((points, closed))
        points = []

    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command = token
            index += 1
            if command not in _ARGS:
                raise ValueError(f"path command {command!r} is not supported")
            if command == "Z":
                finish(closed=True)
                continue
        elif not command or command == "Z":
            raise ValueError(f"a number without a command in {data!r}")
        count = _ARGS[command]
        numbers = tokens[index : index + count]
        if len(numbers) < count or any(n.isalpha() for n in numbers):
            raise ValueError(f"{command} needs {count} numbers in {data!r}")
        args = [float(n) for n in numbers]
        index += count
        if command == "M":
            finish(closed=False)
            current = (args[0], args[1])
            points = [current]
            command = "L"  # further pairs after a moveto are lines
            continue
        if command == "L":
            new = [(args[0], args[1])]
        elif command == "H":
            new = [(args[0], current[1])]
        elif command == "V":
            new = [(current[0], args[0])]
        elif command == "C":
            new = _cubic(current, args)
        else:
            new = _arc(current, args)
        points.extend(new)
        current = new[-1]
    finish(closed=False)
    return subpaths


def _items(items: list[dict[str, Any]], matrix: Matrix) -> Iterator[tuple[dict[str, Any], Matrix]]:
    for item in items:
        if item.get("type") == "group":
            yield from _items(item.get("items", []), _multiply(matrix, _group_matrix(item)))
        elif item.get("type") == "path":
            yield item, matrix


def _draw(graphic: dict[str, Any], canvas: Image.Image, origin: float, scale: float) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(canvas)
    place: Matrix = (scale, 0.0, 0.0, scale, origin, origin)
    for path, matrix in _items(graphic["items"], place):
        for points, closed in parse_path(path["pathData"]):
            xy = [_apply(matrix, p) for p in points]
            if path.get("fill") and len(xy) > 2:
                draw.polygon(xy, fill=path["fill"])
            stroke = path.get("stroke")
            if stroke:
                width = max(1, round(float(path.get("strokeWidth", 1)) * scale))
                line = [*xy, xy[0]] if closed else xy
                draw.line(line, fill=stroke, width=width, joint="curve")
                radius = width / 2
                for x, y in (line[0], line[-1]):  # round caps
                    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=stroke)


def render_icon(size: int, drawing: str = ICON_DRAWING) -> bytes:
    """One icon as PNG bytes: ``size`` x ``size`` pixels, RGB, the drawing centred.

    Parameters
    ----------
    size : int
        Edge in pixels (108 for the small icon, 512 for the large one).
    drawing : str
        The exercise id whose drawing to use (``skill/apl.py``).

    Raises
    ------
    ImportError
        Without Pillow (``pip install 'leg-skill[icons]'``).
    KeyError
        For an exercise without a drawing.
    """
    import io

    from PIL import Image

    graphic = avg_graphic(drawing)
    big = size * _SUPERSAMPLE
    canvas = Image.new("RGB", (big, big), _BACKGROUND)
    scale = big * _CONTENT / float(graphic["width"])
    _draw(graphic, canvas, origin=big * (1 - _CONTENT) / 2, scale=scale)
    icon = canvas.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    icon.save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_icons(directory: Path = ICONS_DIR) -> list[Path]:
    """Write every icon of :data:`ICON_SIZES` into ``directory``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size in ICON_SIZES.items():
        path = directory / name
        path.write_bytes(render_icon(size))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m skill.icons [DIR]``: write the icons (exit 2 without Pillow)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        paths = write_icons(Path(args[0]) if args else ICONS_DIR)
    except ImportError:
        print("skill.icons needs Pillow: pip install 'leg-skill[icons]'", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
