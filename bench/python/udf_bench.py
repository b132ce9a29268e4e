"""Python UDFs and graph building on vigil, timed (issue 10's targets):

- a Python UDF, pw.apply(lambda ip: ip.split(".")[0], pw.this.ip_address), over N rows, in
  three calling conventions: per_row_gil (the engine calls per row and each call takes the
  interpreter lock: the unbatched baseline), per_row (pw.apply: the lock taken once per
  engine batch, the function called per row), batched (@pw.udf(max_batch_size=...): one
  call per batch of rows, with lists);
- the same pipeline with an engine expression in place of the UDF (256 string keys, as
  many as first octets), as the baseline of the same run;
- `import vigil` plus building the seed's graph, in a fresh interpreter.

    PYTHONPATH=build/python /usr/bin/python3 bench/python/udf_bench.py [--rows N] [--runs K]

Each figure is the median of K runs; results are checked equal across the variants.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import vigil as pw

SEED_GRAPH = r"""
import time
start = time.perf_counter()
import vigil as pw

class InputSchema(pw.Schema):
    username: str
    successful: str
    time: int
    ip_address: str

logins = pw.io.csv.read("{path}", schema=InputSchema, mode="static")
logins = logins.with_columns(successful=(pw.this.successful == "True"))
failed = logins.filter(~pw.this.successful)
result = failed.windowby(failed.time, window=pw.temporal.tumbling(duration=60),
                         instance=pw.this.ip_address).reduce(
    ip_address=pw.this._pw_instance, count=pw.reducers.count())
suspicious_logins = result.filter(pw.this.count >= 5)
print(time.perf_counter() - start)
"""


class Logins(pw.Schema):
    username: str
    successful: str
    time: int
    ip_address: str


def first_octet_counts(path, variant):
    pw.internals.parse_graph.G.clear()
    t = pw.io.csv.read(path, schema=Logins, mode="static")
    if variant == "engine":
        # No UDF: an engine expression with as many distinct string values as first octets
        # (256), so the grouping and the conversion of results cost the same.
        octet = pw.cast(str, pw.this.time % 256)
    elif variant == "per_row_gil":
        # The unbatched convention: the engine calls per row, each call takes the GIL.
        octet = pw._vigil.apply_per_row_gil(lambda ip: ip.split(".")[0],
                                            pw._vigil.DType(pw._vigil.TypeKind.STR),
                                            [pw.this.ip_address])
    elif variant == "per_row":
        octet = pw.apply(lambda ip: ip.split(".")[0], pw.this.ip_address)
    else:
        @pw.udf(max_batch_size=4096)
        def first_octets(ips: list[str]) -> list[str]:
            return [ip.split(".")[0] for ip in ips]
        octet = first_octets(pw.this.ip_address)
    counted = t.select(octet=octet).groupby(pw.this.octet).reduce(pw.this.octet,
                                                                  n=pw.reducers.count())
    start = time.perf_counter()
    keys, values = pw.debug.table_to_dicts(counted)
    elapsed = time.perf_counter() - start
    return elapsed, sorted(zip(values["octet"].values(), values["n"].values()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vigil", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                        "build", "bin", "vigil"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "logins.csv")
        subprocess.run([args.vigil, "generate", "--rows", str(args.rows), "--seed", "1", "-o",
                        path], check=True)
        times = {"engine": [], "per_row_gil": [], "per_row": [], "batched": []}
        results = {}
        for _ in range(args.runs):
            for variant in times:
                elapsed, result = first_octet_counts(path, variant)
                times[variant].append(elapsed)
                results.setdefault(variant, result)
                assert result == results[variant]
        # The UDF variants must agree (the baseline computes other keys, of the same number).
        assert results["per_row"] == results["batched"] == results["per_row_gil"], \
            "UDF variants disagree"
        build = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", SEED_GRAPH.format(path=path)],
                                 check=True, capture_output=True, text=True,
                                 env=dict(os.environ))
            build.append(float(out.stdout))
        print(f"rows: {args.rows}, runs: {args.runs} (medians)")
        for variant, ts in times.items():
            m = statistics.median(ts)
            print(f"  {variant:8s} {m:7.3f} s  {args.rows / m / 1e6:6.2f} M rows/s")
        udf_cost = {v: statistics.median(times[v]) - statistics.median(times["engine"])
                    for v in ("per_row_gil", "per_row", "batched")}
        for v in ("per_row", "batched"):
            total = statistics.median(times["per_row_gil"]) / statistics.median(times[v])
            print(f"  {v} vs per_row_gil: {total:.2f}x faster in all, "
                  f"{udf_cost['per_row_gil'] / udf_cost[v]:.2f}x on the UDF's own cost "
                  "(time above the engine baseline)")
        print(f"  import vigil + seed graph build: {statistics.median(build) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
