"""Round-trip benchmark of the structured formats: CER and furniture per format and half.

Documents are generated at random from a seed (tests/support/formats.py): the same kind of
content (FLORES-200 prose with a heading, a table, a text box, notes, header and footer,
comments, tracked deletions, a web page's boilerplate) written as .docx, .odt, .html, .epub
and .doc (LibreOffice), then read back through extraction and repair. Reported per format
and per half of the prose (developed, and unseen: never looked at while developing): mean
and worst CER against the paragraphs written, segments holding furniture, repairs made on
the clean text. Run:
    python benchmarks/bench_formats.py [--seed N] [--documents N] [--formats docx,odt,...]
Writes outputs/benchmarks/formats.json and prints a table; needs ../shared.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine_load import describe_machine, machine  # noqa: E402
from support.formats import FORMATS, HALVES, available, make  # noqa: E402
from support.score import cer  # noqa: E402

from qantara.pipeline import prepare_document  # noqa: E402

TARGET = 0.001


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    if not available():
        sys.exit("../shared (FLORES-200) is absent")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    print(describe_machine())
    print(f"seed {seed}, {args.documents} documents per format and half")
    formats = [f for f in args.formats.split(",") if f != "doc" or shutil.which("soffice")]
    rows = []
    for fmt in formats:
        for split, half in HALVES.items():
            scores, leaked, repairs = [], 0, 0
            for k in range(args.documents):
                with tempfile.TemporaryDirectory() as folder:
                    made = make(fmt, seed + k, half, Path(folder))
                    prepared = prepare_document(made.path, made.path.stem, None)
                    scores.append(cer(made.reference, "\n".join(p.text for p in prepared.paragraphs)))
                    leaked += len(made.leaked([s.arabic for s in prepared.segments]))
                    repairs += len(prepared.changes)
            rows.append({"format": fmt, "half": split, "documents": len(scores), "mean_cer": sum(scores) / len(scores),
                         "worst_cer": max(scores), "furniture_segments": leaked, "repairs": repairs})
    print(f"{'format':7} {'half':10} {'docs':>4} {'mean CER':>9} {'worst CER':>9} {'furniture':>9} {'repairs':>7}")
    for r in rows:
        print(f"{r['format']:7} {r['half']:10} {r['documents']:4d} {r['mean_cer']:9.4f} {r['worst_cer']:9.4f} "
              f"{r['furniture_segments']:9d} {r['repairs']:7d}")
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "formats.json").write_text(json.dumps({"seed": seed, "machine": machine(), "target": TARGET, "rows": rows},
                                                 indent=2), encoding="utf-8")
    worst = max(r["worst_cer"] for r in rows if r["half"] == "unseen")
    print(f"unseen worst CER {worst:.4f} (target {TARGET})")


if __name__ == "__main__":
    main()
