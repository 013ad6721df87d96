"""Write drawn documents and their truth to a folder (see the package docstring)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import build, draw, missing


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m support.generate")
    parser.add_argument("seed", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--half", choices=("developed", "unseen"))
    parser.add_argument("--producer", action="append")
    parser.add_argument("--scans", action="store_true")
    args = parser.parse_args()
    kwargs = {"producers": tuple(args.producer)} if args.producer else {}
    for spec in draw(args.seed, args.count, half=args.half, scans=args.scans, **kwargs):
        why = missing(spec)
        if why:
            print(f"{spec.name}: skipped ({why})")
            continue
        made = build(spec, args.out)
        made.pdf.with_suffix(".txt").write_text("\n\n".join(made.truth), encoding="utf-8")
        print(f"{made.pdf.name}: {made.notes['pages']} pages, half {spec.half}, layer_ok {made.layer_ok}")


if __name__ == "__main__":
    main()
