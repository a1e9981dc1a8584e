#!/usr/bin/env python3
"""Replays a day of `nebuta rt-simulate` snapshots into a running `nebuta serve` (benchmarks/rt/replay.sh).

   replay.py --port P --dir DAY --token-file F --pace SECONDS --pid SERVER_PID --out REPORT.json

Pushes each snapshot's TripUpdates and VehiclePositions in order (POST /v1/rt/NAME-tu and
NAME-vp), one snapshot every --pace wall seconds, while
  - a watcher asks GET /v1/alerts again and again and compares the state its answer was built
    from (`feed_time`, the newest header timestamp of the applied messages) with the last
    snapshot whose pushes were acknowledged before the request was sent: the lag in simulated
    seconds (a push publishes before it answers, so 0 is expected; more than one interval is a
    stale answer);
  - a sampler reads the server's VmRSS from /proc every second.
Writes the figures as JSON and prints them."""
import argparse
import csv
import datetime
import http.client
import json
import os
import threading
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--source", default="hachinohe")
    ap.add_argument("--pace", type=float, default=0.1)
    ap.add_argument("--interval", type=int, default=15, help="simulated seconds between snapshots")
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    token = open(a.token_file).read().strip()
    with open(os.path.join(a.dir, "index.csv")) as f:
        rows = list(csv.DictReader(f))

    lock = threading.Lock()
    acked = [None]  # unix time of the last snapshot whose pushes were both acknowledged
    done = threading.Event()
    lags, rss = [], []
    errors = {"push": 0, "watch": 0}
    push_ms = []

    def watcher():
        conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=10)
        while not done.is_set():
            with lock:
                before = acked[0]
            try:
                conn.request("GET", "/v1/alerts", headers={"Connection": "keep-alive"})
                r = conn.getresponse()
                body = r.read()
                if r.status != 200:
                    errors["watch"] += 1
                    continue
                ft = json.loads(body).get("feed_time", "")
            except (OSError, http.client.HTTPException):
                errors["watch"] += 1
                conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=10)
                continue
            if before is not None:
                seen = int(datetime.datetime.fromisoformat(ft).timestamp()) if ft else 0
                lags.append(before - seen)
            time.sleep(0.02)

    def sampler():
        while not done.is_set():
            rss.append(rss_kib(a.pid))
            time.sleep(1.0)

    threads = [threading.Thread(target=watcher), threading.Thread(target=sampler)]
    for t in threads:
        t.start()
    conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-protobuf", "Connection": "keep-alive"}
    start = time.monotonic()
    for i, row in enumerate(rows):
        due = start + i * a.pace
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        ok = True
        for kind, name in (("tu", row["trip_updates"]), ("vp", row["vehicle_positions"])):
            with open(os.path.join(a.dir, name), "rb") as f:
                body = f.read()
            t0 = time.monotonic()
            try:
                conn.request("POST", f"/v1/rt/{a.source}-{kind}", body=body, headers=headers)
                r = conn.getresponse()
                r.read()
            except (OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
                errors["push"] += 1
                ok = False
                continue
            push_ms.append((time.monotonic() - t0) * 1000)
            if r.status != 200:
                errors["push"] += 1
                ok = False
        if ok:
            with lock:
                acked[0] = int(row["unix_time"])
    wall = time.monotonic() - start
    time.sleep(1.0)
    done.set()
    for t in threads:
        t.join()

    push_ms.sort()
    lags_sorted = sorted(lags)
    report = {
        "snapshots": len(rows),
        "simulated": f"{rows[0]['time']} .. {rows[-1]['time']}",
        "wall_s": round(wall, 1),
        "pace_s": a.pace,
        "push_errors": errors["push"],
        "push_ms_p50": round(push_ms[len(push_ms) // 2], 1) if push_ms else None,
        "push_ms_p99": round(push_ms[int(len(push_ms) * 0.99)], 1) if push_ms else None,
        "push_ms_max": round(push_ms[-1], 1) if push_ms else None,
        "watch_answers": len(lags),
        "watch_errors": errors["watch"],
        "lag_s_max": max(lags) if lags else None,
        "lag_s_p99": lags_sorted[int(len(lags_sorted) * 0.99)] if lags else None,
        "stale_answers": sum(1 for x in lags if x > a.interval),
        "lagging_answers": sum(1 for x in lags if x > 0),
        "rss_mib_first": round(rss[0] / 1024, 1) if rss else None,
        "rss_mib_last": round(rss[-1] / 1024, 1) if rss else None,
        "rss_mib_max": round(max(rss) / 1024, 1) if rss else None,
        "rss_mib_min": round(min(rss) / 1024, 1) if rss else None,
        "rss_mib_by_quarter": [round(rss[min(len(rss) - 1, q * len(rss) // 4)] / 1024, 1) for q in range(5)] if rss else [],
    }
    with open(a.out, "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
