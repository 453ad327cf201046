"""Writes bench/storage.sh's measurements (JSON lines) as markdown tables: throughput against the plain tool of each
store, and the cold starts. A cell holds every run's figure, run 1 first."""
import json
import sys
from collections import defaultdict

MIB = 1 << 20
STORES = ["File", "Redis", "S3", "AzureBlob"]
rows = [json.loads(line) for line in open(sys.argv[1])]
runs = sorted({r["run"] for r in rows if r["run"] > 0})
by = defaultdict(dict)  # (store, step, tool or "OrleansML") → run → row
for r in rows:
    by[(r["store"], r["step"], r.get("tool", "OrleansML"))][r["run"]] = r


def cell(key, value):
    return " / ".join(value(by[key][run]) if run in by[key] else "–" for run in runs)


def rate(r):
    return f"{r['bytes'] / MIB / r['seconds']:,.0f}"


print(f"Throughput in MiB/s (each cell: run {' / run '.join(map(str, runs))}); ratio = the store's figure ÷ the tool's.")
print()
print("| store | direction | through IArtifactStore | plain tool | tool | ratio |")
print("|---|---|---:|---|---:|---:|")
for store in STORES:
    for step in ["upload", "download"]:
        tools = [k[2] for k in by if k[0] == store and k[1] == step and k[2] != "OrleansML"]
        if not tools:
            continue
        ours, theirs = (store, step, "OrleansML"), (store, step, tools[0])
        ratio = " / ".join(
            f"{by[theirs][run]['seconds'] / by[ours][run]['seconds']:.2f}" if run in by[ours] and run in by[theirs] else "–"
            for run in runs)
        print(f"| {store} | {step} | {cell(ours, rate)} | {tools[0]} | {cell(theirs, rate)} | {ratio} |")

print()
print("Cold start of a fresh embedded Api on the store, in seconds (each cell: run "
      f"{' / run '.join(map(str, runs))}); peak RSS is the fresh process's VmHWM after its first answer.")
print()
print("| store | model size MB | start → ready | first predict request → answer | start → first prediction | peak RSS MiB |")
print("|---|---:|---:|---:|---:|---:|")
for store in STORES:
    first = (store, "first-prediction", "OrleansML")
    if not by[first]:
        continue
    size = next(iter(by[first].values()))["bytes"] / 1e6
    seconds = lambda field: lambda r: f"{r[field]:.1f}"
    rss = lambda r: f"{r['peakRssKb'] / 1024:,.0f}"
    print(f"| {store} | {size:.0f} | {cell(first, seconds('readySeconds'))} | "
          f"{cell(first, seconds('predictSeconds'))} | {cell(first, seconds('seconds'))} | {cell(first, rss)} |")

create = by[("File", "create", "OrleansML")].get(0)
if create:
    note = f" ({create['note']})" if create.get("note") else ""
    print()
    print(f"The model was created once, through POST /api/models on an Api with the file store: {create['seconds']:.1f} s{note}; "
          "each fresh process gets a copy of that data directory (grain state) and the store gets the weights through its IArtifactStore (the upload row).")
notes = [(r["run"], r["store"], r["step"], r["note"]) for r in rows if r.get("note") and r["run"] > 0]
if notes:
    print()
    for run, store, step, note in notes:
        print(f"- run {run}, {store}, {step}: {note}.")
durations = [by[("all", "run", "OrleansML")].get(run) for run in runs]
print()
print("Wall time of each run (every store's rows and cold start): " + ", ".join(f"run {run}: {d['seconds']:.0f} s" for run, d in zip(runs, durations) if d) + ".")
