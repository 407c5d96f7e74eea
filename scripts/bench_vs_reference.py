#!/usr/bin/python3
"""The workbench's training step against the plain PyTorch reference, alternating in one run.

Each round runs `peft-workbench-cli bench` and then `scripts/bench_reference.py` with the same model, methods,
shapes, precision and thread count, for each precision; the summary is the median over rounds of the per-round
ratio (reference time / workbench time: above 1 means the workbench is faster), for wall and CPU time.
Needs Debian's python3-torch (apt-get install python3-torch), run with /usr/bin/python3:

    /usr/bin/python3 scripts/bench_vs_reference.py --rounds 3 --threads 1 --precisions fp32,bf16
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_json(cmd, env):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cli", default=os.path.join(REPO, "build", "bin", "peft-workbench-cli"))
    p.add_argument("--model", default="tiny-bert")
    p.add_argument("--methods", default="ft,lora,bitfit,prompt")
    p.add_argument("--precisions", default="fp32,bf16")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    env = dict(os.environ, PW_THREADS=str(a.threads))
    shape = ["--steps", str(a.steps), "--warmup", "3", "--batch", "16", "--seq", "64"]
    rows = {}  # (precision, method) -> list of (cxx, ref) per round
    loads = []
    for r in range(a.rounds):
        for prec in a.precisions.split(","):
            cxx = run_json([a.cli, "bench", "--model", a.model, "--methods", a.methods, "--precision", prec, "--json"]
                           + shape, env)
            ref = run_json(["/usr/bin/python3", os.path.join(REPO, "scripts", "bench_reference.py"), "--model", a.model,
                            "--methods", a.methods, "--precision", prec, "--threads", str(a.threads), "--json"] + shape,
                           env)
            loads.append(ref["load_average"])
            refs = {m["method"]: m for m in ref["methods"]}
            for m in cxx["methods"]:
                rows.setdefault((prec, m["method"]), []).append((m, refs[m["method"]]))
            print(f"round {r + 1}/{a.rounds} {prec} done (load {ref['load_average']:.1f})", file=sys.stderr)
    summary = []
    for (prec, method), pairs in rows.items():
        med = lambda key, side: statistics.median(pair[side][key] for pair in pairs)
        ratio = lambda key: statistics.median(pair[1][key] / pair[0][key] for pair in pairs)
        summary.append({"precision": prec, "method": method, "rounds": len(pairs),
                        "workbench_ms": med("step_ms", 0), "workbench_cpu_ms": med("step_cpu_ms", 0),
                        "reference_ms": med("step_ms", 1), "reference_cpu_ms": med("step_cpu_ms", 1),
                        "speedup_wall": ratio("step_ms"), "speedup_cpu": ratio("step_cpu_ms")})
    if a.json:
        print(json.dumps({"threads": a.threads, "model": a.model, "loads": loads, "rows": summary}))
        return
    print(f"{a.model}, batch 16 x 64, {a.threads} thread(s), {a.rounds} alternating rounds, load {min(loads):.1f}-{max(loads):.1f}")
    print("| precision | method | workbench ms (CPU ms) | PyTorch ms (CPU ms) | PyTorch / workbench, wall | CPU |")
    print("|---|---|---|---|---|---|")
    for s in summary:
        print(f"| {s['precision']} | {s['method']} | {s['workbench_ms']:.1f} ({s['workbench_cpu_ms']:.1f}) | "
              f"{s['reference_ms']:.1f} ({s['reference_cpu_ms']:.1f}) | {s['speedup_wall']:.2f}x | {s['speedup_cpu']:.2f}x |")


if __name__ == "__main__":
    main()
