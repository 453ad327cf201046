"""Checks a benchmark's targets against the rows of the same run (bench/wrk/rows.sh's rows file) and prints the
markdown table target | measured | verdict. One target per line on stdin, fields separated by ' | ':
    description | model | c | path | reference path | req/s or p50 | ratio
req/s: met when the path's throughput is at least ratio times the reference's; p50: met when its p50 is at most
ratio times the reference's; p99/p50: met when the path's own p99 is at most ratio times its own p50 (the reference
path is not read).
Usage: python3 bench/wrk/targets.py ROWS < targets"""
import re
import sys

rows = {}
for line in open(sys.argv[1]):
    match = re.match(r"(\S+) (.*) (\d+) RESULT requests=(\d+) errors=(\d+) seconds=([0-9.]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+)", line)
    if match:
        model, path, conc, requests, _, seconds, p50, p99 = match.groups()
        rows[(model, path, int(conc))] = {"req/s": int(requests) / float(seconds), "p50": float(p50), "p99": float(p99)}

def figure(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


print("| target (same run) | measured | verdict |")
print("|---|---|---|")
for line in sys.stdin:
    if not line.strip():
        continue
    description, model, conc, path, reference, measure, ratio = (field.strip() for field in line.split(" | "))
    mine, theirs = rows.get((model, path, int(conc))), rows.get((model, reference, int(conc)))
    if mine is None or theirs is None:
        print(f"| {description} | row missing | not measured |")
        continue
    if measure == "p99/p50":
        measured = mine["p99"] / mine["p50"]
        met = measured <= float(ratio)
        print(f"| {description} | {measured:.2f}x (p99 {figure(mine['p99'])} vs p50 {figure(mine['p50'])} ms) | {'met' if met else 'not met'} |")
        continue
    measured = mine[measure] / theirs[measure] if theirs[measure] else float("inf")
    met = measured >= float(ratio) if measure == "req/s" else measured <= float(ratio)
    unit = "req/s" if measure == "req/s" else "ms"
    print(f"| {description} | {measured:.2f}x ({figure(mine[measure])} vs {figure(theirs[measure])} {unit}) | {'met' if met else 'not met'} |")
