"""Cross-language checks on real pairs: altered pairs caught, unaltered pairs flagged.

Real Arabic–English pairs from ../shared/eval (FLORES-200 devtest, TICO-19, Tatoeba) that
carry numbers, months, percentages, brackets, quotes or URLs; each pair also altered on the
English side, one fact at a time, at random from a seed (tests/support/altered_pairs.py).
Pairs are split by a fixed hash of the Arabic into a developed half and an unseen half; the
unseen half is the one that counts. Three columns:

- before: ``check_translation`` as it was, without the cross-language checks;
- checks: :func:`qantara.checks.check_pair` alone (the targets: >= 95 % of altered pairs
  flagged, <= 2 % of unaltered ones);
- after: ``check_translation`` with them (what a run flags).

Run:  python benchmarks/bench_checks.py [--seed N]
Writes outputs/benchmarks/checks.json; needs ../shared.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "tests"))

from qantara.checks import KINDS, check_pair  # noqa: E402
from qantara.pipeline import check_translation  # noqa: E402
from qantara.types import Segment  # noqa: E402
from support.altered_pairs import HALVES, KINDS as ALTERATIONS, alterations, load_pairs, score  # noqa: E402

TARGET_DETECTED, TARGET_FALSE = 0.95, 0.02


def _after(arabic: str, english: str) -> tuple[str, ...]:
    return check_translation(Segment("s", 0, arabic), english)


def _before(arabic: str, english: str) -> tuple[str, ...]:
    return tuple(f for f in _after(arabic, english) if f.partition(":")[0] not in KINDS)


CHECKS = {"before": _before, "checks": check_pair, "after": _after}


def main() -> int:
    from machine_load import describe_machine
    print(describe_machine())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    if not (SHARED / "eval").is_dir():
        print(f"{SHARED / 'eval'} is missing: this benchmark needs ../shared", file=sys.stderr)
        return 2
    pairs = load_pairs(SHARED)
    results: dict[str, dict] = {"seed": args.seed}
    print(f"seed {args.seed}; {len(pairs)} pairs carrying facts")
    ok = True
    for half in HALVES:
        chosen = [p for p in pairs if p.half == half]
        altered = alterations(chosen, args.seed)
        scores = {name: score(chosen, altered, check) for name, check in CHECKS.items()}
        corpora = {c: sum(p.corpus == c for p in chosen) for c in ("flores", "tico", "tatoeba")}
        print(f"\n{half} half: {len(chosen)} pairs ({', '.join(f'{c} {n}' for c, n in corpora.items())}), "
              f"{len(altered)} altered")
        print(f"{'':24} {'before':>14} {'checks':>14} {'after':>14}")
        print(f"{'unaltered flagged':24} " + " ".join(f"{s.false_rate:14.2%}" for s in scores.values()))
        print(f"{'altered flagged':24} " + " ".join(f"{s.detection_rate:14.2%}" for s in scores.values()))
        for kind in ALTERATIONS:
            n = scores["checks"].altered[kind]
            if n:
                print(f"  {kind + f' ({n})':22} " + " ".join(
                    f"{s.detected[kind] / n:14.2%}" for s in scores.values()))
        residual = scores["checks"].false_kinds
        print("false flags by kind (checks): " + (", ".join(f"{k} {n}" for k, n in residual.most_common()) or "none"))
        checks = scores["checks"]
        met = checks.detection_rate >= TARGET_DETECTED and checks.false_rate <= TARGET_FALSE
        print(f"targets (>= {TARGET_DETECTED:.0%} caught, <= {TARGET_FALSE:.0%} false): {'met' if met else 'MISSED'}")
        ok = ok and met
        results[half] = {
            "pairs": len(chosen), "altered": len(altered), "corpora": corpora,
            **{name: {"false_rate": s.false_rate, "detection_rate": s.detection_rate,
                      "detected_by_kind": {k: s.detected[k] / n for k, n in s.altered.items()},
                      "altered_by_kind": dict(s.altered), "false_flags_by_kind": dict(s.false_kinds)}
               for name, s in scores.items()},
        }
    out = ROOT / "outputs" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "checks.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
