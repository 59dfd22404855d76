#!/usr/bin/env python3
"""Summary tables of `stamen reproduce geo --json FILE`: per algorithm and topology, the mean time
per token over the (lambda, l_max) cells, with the change against the algorithm's baseline
(petals-published for the published reproductions, petals for the others), once without and once
with the published fixed delays. Markdown on stdout. Used for docs/algorithms-study.md."""
import json
import sys

NAMES = {"scattered Abvt": "AboveNet", "scattered Bellcanada": "BellCanada", "scattered GtsCe": "GTS-CE"}


def main(path):
    cells = json.load(open(path, encoding="utf-8"))["cells"]
    scenarios = list(dict.fromkeys(c["scenario"] for c in cells))
    for delays in (False, True):
        print("Without the fixed delays:" if not delays else "With the published fixed delays (70 ms; 250 s PETALS family, 60 s the others):")
        print()
        print("| algorithm | " + " | ".join(NAMES.get(s, s) for s in scenarios) + " |")
        print("|---|" + "---|" * len(scenarios))
        results = [r for r in cells[0]["comparison"]["results"]]
        for r in results:
            algorithm, published = r["algorithm"], r.get("published", False)
            baseline = next(x["algorithm"] for x in results if x.get("published", False) == published)
            row = []
            for s in scenarios:
                mine = [c for c in cells if c["scenario"] == s and c["fixed_delays"] == delays]
                mean = lambda name: sum(next(x for x in c["comparison"]["results"] if x["algorithm"] == name)["metrics"]["mean_time_per_token_s"]
                                        for c in mine) / len(mine)
                value, base = mean(algorithm), mean(baseline)
                row.append(f"{value:.3f} s" if algorithm == baseline else f"{value:.3f} s ({100 * (value - base) / base:+.0f}%)")
            print(f"| {algorithm} | " + " | ".join(row) + " |")
        print()


if __name__ == "__main__":
    main(sys.argv[1])
