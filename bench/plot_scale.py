"""Draw the time per reminder against the book's size, from the lines
bench/run_scale.sh appended to bench/results/scale.jsonl, as an SVG chart
for the README (no plotting library needed).

    python3 bench/plot_scale.py [SCALE_JSONL] [OUT_SVG]

For each size (open invoices) the most recent line is drawn: the night's
milliseconds per reminder without the letters' PDFs, the letters' own
milliseconds per letter, and the SQL queries per reminder on a second axis.
"""

import json
import re
import sys
from pathlib import Path

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 70, 70, 40, 60
SERIES = (
    # key, label, colour, axis
    (
        "ms_per_reminder_without_letters",
        "ms per reminder (letter PDFs apart)",
        "#1f6fb2",
        0,
    ),
    ("ms_per_letter", "ms per letter PDF", "#d9822b", 0),
    ("queries_per_reminder", "queries per reminder (right axis)", "#3c9a5f", 1),
)


def latest_by_size(path):
    """The last measurement of each size, smallest first."""
    latest = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        # the books run_scale.sh grows from the 2,000-customer book only
        if not re.fullmatch(r"crd_scale_\d+", record.get("db") or ""):
            continue
        if record.get("open_invoices") and record.get("reminders"):
            latest[record["open_invoices"]] = record
    return [latest[size] for size in sorted(latest)]


def _value(record, key):
    if key == "ms_per_reminder_without_letters":
        # the escalation's time without the letters' PDFs, over every
        # reminder it made (the letters' reminders are made there too)
        seconds = record.get("escalation_without_letters_seconds")
        if seconds is None or not record["reminders"]:
            return None
        return 1000 * seconds / record["reminders"]
    return record.get(key)


def _nice_top(value):
    for top in (10, 20, 25, 40, 50, 60, 80, 100, 150, 200, 300, 400, 500, 1000):
        if value <= top:
            return top
    return value


def chart(records):
    """The SVG text of the chart."""
    sizes = [record["open_invoices"] for record in records]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    tops = [
        _nice_top(
            max(
                [
                    _value(record, key) or 0
                    for record in records
                    for key, _l, _c, axis in SERIES
                    if axis == which
                ]
                or [1]
            )
        )
        for which in (0, 1)
    ]

    def x_of(index):
        return LEFT + (plot_w * index / max(len(sizes) - 1, 1))

    def y_of(value, axis):
        return TOP + plot_h - plot_h * value / tops[axis]

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="14">'
        "The night per reminder, from the smallest book to the largest</text>",
    ]
    for step in range(5):
        value = tops[0] * step / 4
        y = y_of(value, 0)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#dddddd"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 8}" y="{y + 4:.1f}">'
            f"{tops[1] * step / 4:g}</text>"
        )
    parts.append(
        f'<text x="18" y="{TOP + plot_h / 2}" transform="rotate(-90 18 '
        f'{TOP + plot_h / 2})" text-anchor="middle">milliseconds</text>'
    )
    parts.append(
        f'<text x="{WIDTH - 14}" y="{TOP + plot_h / 2}" transform="rotate(90 '
        f'{WIDTH - 14} {TOP + plot_h / 2})" text-anchor="middle">queries</text>'
    )
    for index, size in enumerate(sizes):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{TOP + plot_h + 18}" '
            f'text-anchor="middle">{size:,}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 22}" text-anchor="middle">'
        "open invoices in the book (10 per customer at the largest)</text>"
    )
    for number, (key, label, colour, axis) in enumerate(SERIES):
        points = [
            (x_of(index), y_of(value, axis))
            for index, record in enumerate(records)
            if (value := _value(record, key)) is not None
        ]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                'stroke-width="2.5"/>'
            )
            parts += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
                for x, y in points
            ]
        legend_y = TOP + 14 + 16 * number
        parts.append(
            f'<rect x="{LEFT + 12}" y="{legend_y - 9}" width="14" height="4" '
            f'fill="{colour}"/>'
        )
        parts.append(f'<text x="{LEFT + 32}" y="{legend_y - 3}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "bench/results/scale.jsonl"
    target = sys.argv[2] if len(sys.argv) > 2 else "docs/bench/scale_curve.svg"
    records = latest_by_size(source)
    if not records:
        raise SystemExit(f"No measurement in {source}: run bench/run_scale.sh first.")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(chart(records), encoding="utf-8")
    print(f"{target}: {len(records)} sizes")


if __name__ == "__main__":
    main()
