#!/usr/bin/env python3
"""genius_plot.py: one SVG picture of truce's ANAC agents against GENIUS 10.4's own.

    python3 bench/genius_plot.py OUT SET... > fidelity.svg

OUT holds the SET.json files bench/genius_compare.py wrote (bench/genius_fidelity.sh calls this
at its end). One panel per set: for every ordered pair, GENIUS's value across, truce's up, for
the agreement rate (squares) and both parties' mean utilities (circles); the diagonal is "the
same", the band around it +-0.05 (the tolerance of the figure). A mark outside the band is
drawn filled in red, one inside hollow, so a glance says which sets are off and in which
direction (above the band: truce's agent gets more than GENIUS's; a pair is counted within when
its three marks are). Hovering a mark names the pair and its six values. Plain SVG, no library.
"""
import json
import sys
from xml.sax.saxutils import escape

PANEL = 300  # side of one panel's plotting square, in pixels
MARGIN = 46
COLUMNS = 4


def panel(x0, y0, name, d):
    tol = d.get("tolerance", 0.05)
    def px(v):
        return x0 + MARGIN + max(0.0, min(1.0, v)) * PANEL
    def py(v):
        return y0 + MARGIN + (1 - max(0.0, min(1.0, v))) * PANEL
    out = []
    left, top, right, bottom = px(0), py(1), px(1), py(0)
    out.append(f'<rect x="{left}" y="{top}" width="{PANEL}" height="{PANEL}" fill="#fff" stroke="#888"/>')
    # the band: |truce - GENIUS| <= tol, clipped to the unit square
    band = [(0, tol), (1 - tol, 1), (1, 1), (1, 1 - tol), (tol, 0), (0, 0)]
    pts = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in band)
    out.append(f'<polygon points="{pts}" fill="#dbe9f6" stroke="none"/>')
    out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(1)}" y2="{py(1)}" stroke="#6a8caf" stroke-width="1"/>')
    for v in (0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<text x="{px(v):.1f}" y="{bottom + 14:.1f}" font-size="10" text-anchor="middle">{v:g}</text>')
        out.append(f'<text x="{left - 4:.1f}" y="{py(v) + 3:.1f}" font-size="10" text-anchor="end">{v:g}</text>')
    for r in d["rows"]:
        g, t = r["genius"], r["truce"]
        def style(a, b):
            return ("none", "#3b6ea5") if abs(a - b) <= tol else ("#d9534f", "#a94442")
        names = " - ".join(a.rsplit(".", 1)[-1] for a in r["agents"])
        tip = escape(f"{names}: agreement {g['agreement_rate']:.2f} / {t['agreement_rate']:.2f}; "
                     f"utilities {g['mean_utilities'][0]:.3f}, {g['mean_utilities'][1]:.3f} / "
                     f"{t['mean_utilities'][0]:.3f}, {t['mean_utilities'][1]:.3f} (GENIUS / truce)")
        x, y = px(g["agreement_rate"]), py(t["agreement_rate"])
        fill, stroke = style(g["agreement_rate"], t["agreement_rate"])
        out.append(f'<rect x="{x - 2.5:.1f}" y="{y - 2.5:.1f}" width="5" height="5" fill="{fill}" '
                   f'stroke="{stroke}" stroke-width="0.8"><title>{tip}</title></rect>')
        for i in range(2):
            x, y = px(g["mean_utilities"][i]), py(t["mean_utilities"][i])
            fill, stroke = style(g["mean_utilities"][i], t["mean_utilities"][i])
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{fill}" stroke="{stroke}" '
                       f'stroke-width="0.8" fill-opacity="0.8"><title>{tip}</title></circle>')
    out.append(f'<text x="{left}" y="{top - 8}" font-size="13" font-weight="bold">{escape(name)}: '
               f'{d["within"]} of {d["pairs"]} pairs within {tol:g}</text>')
    out.append(f'<text x="{(left + right) / 2:.1f}" y="{bottom + 30:.1f}" font-size="11" '
               f'text-anchor="middle">GENIUS 10.4</text>')
    out.append(f'<text x="{left - 30:.1f}" y="{(top + bottom) / 2:.1f}" font-size="11" text-anchor="middle" '
               f'transform="rotate(-90 {left - 30:.1f} {(top + bottom) / 2:.1f})">truce</text>')
    return out


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    out_dir, sets = sys.argv[1], sys.argv[2:]
    cell = PANEL + 2 * MARGIN
    cols = min(COLUMNS, len(sets))
    rows = (len(sets) + cols - 1) // cols
    width, height = cols * cell, rows * cell + 40
    body = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif">',
            f'<rect width="{width}" height="{height}" fill="#f7f7f7"/>',
            f'<text x="10" y="22" font-size="14">truce against GENIUS 10.4, pair by pair: agreement rate '
            f'(squares) and both mean utilities (circles); red = more than the tolerance from GENIUS</text>']
    for k, s in enumerate(sets):
        try:
            d = json.load(open(f"{out_dir}/{s}.json"))
        except (OSError, ValueError) as e:
            sys.stderr.write(f"genius_plot: {out_dir}/{s}.json: {e}\n")
            return 2
        body += panel((k % cols) * cell, 40 + (k // cols) * cell, s, d)
    body.append("</svg>")
    print("\n".join(body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
