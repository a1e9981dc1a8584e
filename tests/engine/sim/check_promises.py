#!/usr/bin/env python3
"""Independent check of the promises kept in `nebuta simulate` runs.

It shares no code with the dispatcher or the simulator: it reads only a run's output files
(scenario.json, requests.csv, events.csv, vehicles.csv) and recomputes every promise from them.

For every served request:
  - picked up inside its promised window:   promised_pickup_start <= pickup_at <= promised_pickup_end
  - dropped off by its promised time:       dropoff_at <= promised_dropoff_by
  - not riding longer than the rules allow: dropoff_at - pickup_at
                                              <= ride_factor * direct_s + ride_offset_s + dwell_s
    (direct_s is the column of requests.csv: the one figure the dispatcher must have used)
and the files must agree with each other: ride_s and wait_s are the differences they claim,
each served request has exactly one pickup and one drop-off event of its vehicle at those times,
each no-show one no_show event and no pickup, nobody else has any, and no vehicle carries more
persons than its seats plus wheelchair spaces at any moment. On the straight-line model direct_s
must also be the travel time between the places of the pickup and drop-off events (the meeting
points actually used): haversine x detour_factor at speed_kmh, to the nearest second (+-1 s for
the coordinates' six decimals).

Usage:
  check_promises.py --check RUN_DIR [RUN_DIR ...]
  check_promises.py --nebuta BIN --scenario FILE [--scenario FILE ...] --seeds 1-50 [--jobs 2]

In the second form every scenario is simulated with every seed (in a temporary folder) and
checked. Exit status: 0 all promises kept, 1 a broken promise or an inconsistent file,
2 bad usage or a failed simulation, 77 (skipped) when --skip-missing names a path that is absent
and CI is not "true".
"""

import argparse
import concurrent.futures
import csv
import json
import math
import os
import subprocess
import sys
import tempfile


def haversine_m(lat1, lon1, lat2, lon2):
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def opt_int(text):
    return int(text) if text != "" else None


def check_run(run_dir):
    """Every broken promise or inconsistency of one run folder, as text lines, plus counts."""
    problems = []
    with open(os.path.join(run_dir, "scenario.json"), encoding="utf-8") as f:
        scenario = json.load(f)
    rules = scenario["rules"]
    ride_factor = float(rules["ride_factor"])
    ride_offset = float(rules["ride_offset_s"])
    dwell = float(rules["dwell_s"])

    requests = read_csv(os.path.join(run_dir, "requests.csv"))
    events = read_csv(os.path.join(run_dir, "events.csv"))
    vehicles = read_csv(os.path.join(run_dir, "vehicles.csv"))
    capacity = {v["vehicle_id"]: int(v["seats"]) + int(v["wheelchair_spaces"]) for v in vehicles}
    travel = scenario.get("travel", {})
    straight = travel.get("model") == "straight_line"
    detour = float(travel.get("detour_factor", 1.3))
    speed_mps = float(travel.get("speed_kmh", 30.0)) / 3.6

    by_request = {}
    for e in events:
        if e["request_id"]:
            by_request.setdefault(e["request_id"], []).append(e)

    counts = {"requests": len(requests), "served": 0, "no_show": 0, "broken": 0}

    def broken(rid, what):
        counts["broken"] += 1
        problems.append(f"{run_dir}: {rid}: {what}")

    for q in requests:
        rid = q["request_id"]
        status = q["status"]
        evs = by_request.get(rid, [])
        kinds = sorted(e["kind"] for e in evs)
        if status == "served":
            counts["served"] += 1
            start, end = opt_int(q["promised_pickup_start"]), opt_int(q["promised_pickup_end"])
            by = opt_int(q["promised_dropoff_by"])
            up, down = opt_int(q["pickup_at"]), opt_int(q["dropoff_at"])
            direct = opt_int(q["direct_s"])
            if None in (start, end, by, up, down, direct):
                broken(rid, "served but a promise, a time or direct_s is missing")
                continue
            if up < start or up > end:
                broken(rid, f"picked up at {up}, outside the promised window [{start}, {end}] ({up - end:+d} s)")
            if down > by:
                broken(rid, f"dropped off at {down}, after the promised {by} (+{down - by} s)")
            limit = ride_factor * direct + ride_offset + dwell
            if down - up > limit:
                broken(rid, f"ride of {down - up} s is longer than {ride_factor} x {direct} + {ride_offset:g} "
                            f"+ {dwell:g} = {limit:g} s")
            if opt_int(q["ride_s"]) != down - up:
                broken(rid, f"ride_s {q['ride_s']} is not dropoff_at - pickup_at = {down - up}")
            if opt_int(q["wait_s"]) != up - int(q["earliest_pickup"]):
                broken(rid, f"wait_s {q['wait_s']} is not pickup_at - earliest_pickup")
            if kinds != ["dropoff", "pickup"]:
                broken(rid, f"served, but its events are {kinds}")
                continue
            if straight:
                at = {e["kind"]: (float(e["lat"]), float(e["lon"])) for e in evs}
                metres = haversine_m(*at["pickup"], *at["dropoff"]) * detour
                expected = int(metres / speed_mps + 0.5)
                if abs(expected - direct) > 1:
                    broken(rid, f"direct_s {direct} is not the {expected} s between the meeting points used")
            for e in evs:
                t = int(e["time"])
                if e["vehicle_id"] != q["vehicle_id"]:
                    broken(rid, f"{e['kind']} event by {e['vehicle_id']}, but served by {q['vehicle_id']}")
                if t != (up if e["kind"] == "pickup" else down):
                    broken(rid, f"{e['kind']} event at {t} differs from requests.csv")
        elif status == "no_show":
            counts["no_show"] += 1
            if kinds != ["no_show"]:
                broken(rid, f"no-show, but its events are {kinds}")
            elif int(evs[0]["time"]) < int(q["promised_pickup_start"]):
                broken(rid, "declared absent before its pickup window opened")
        elif evs:
            broken(rid, f"{status}, but it has events {kinds}")

    # Persons on board per vehicle, replayed from the events (time order, file order at ties).
    passengers = {q["request_id"]: int(q["passengers"]) for q in requests}
    onboard = {}
    last_time = {}
    for e in events:
        v = e["vehicle_id"]
        t = int(e["time"])
        if t < last_time.get(v, t):
            broken(v, f"events out of time order at {t}")
        last_time[v] = t
        n = onboard.get(v, 0)
        if e["kind"] == "pickup":
            n += passengers[e["request_id"]]
        elif e["kind"] == "dropoff":
            n -= passengers[e["request_id"]]
        onboard[v] = n
        if n < 0 or n > capacity.get(v, -1):
            broken(v, f"{n} persons on board at {t} (capacity {capacity.get(v)})")
        if int(e["onboard"]) != n:
            broken(v, f"event at {t} says {e['onboard']} on board, the events give {n}")
    for v, n in onboard.items():
        if n != 0:
            broken(v, f"{n} persons still on board after the last event")
    return problems, counts


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            seeds.extend(range(int(a), int(b) + 1))
        elif part:
            seeds.append(int(part))
    return seeds


def simulate_and_check(nebuta, scenario, seed, workdir):
    out = os.path.join(workdir, f"{os.path.splitext(os.path.basename(scenario))[0]}-seed{seed}")
    run = subprocess.run([nebuta, "simulate", "--scenario", scenario, "--seed", str(seed), "--out", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        return None, f"{scenario} seed {seed}: nebuta simulate failed ({run.returncode}):\n{run.stderr[-2000:]}"
    problems, counts = check_run(out)
    return (problems, counts), None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", nargs="+", metavar="RUN_DIR", help="check existing run folders")
    ap.add_argument("--nebuta", help="the nebuta binary")
    ap.add_argument("--scenario", action="append", default=[], help="scenario file (repeatable)")
    ap.add_argument("--seeds", default="1", help="seeds: 1-50 or 3,7,11")
    ap.add_argument("--jobs", type=int, default=2, help="simulations at once")
    ap.add_argument("--skip-missing", action="append", default=[], metavar="PATH",
                    help="skip (exit 77) when this path is absent, unless CI=true (then fail)")
    ap.add_argument("--min-no-shows", type=int, default=1,
                    help="fail unless the runs together have at least this many no-shows (the check must bite)")
    args = ap.parse_args()

    for path in args.skip_missing:
        if not os.path.exists(path):
            if os.environ.get("CI") == "true":
                print(f"check_promises: {path} is missing (CI=true: failing instead of skipping)", file=sys.stderr)
                return 1
            print(f"check_promises: SKIPPED, {path} is missing", file=sys.stderr)
            return 77

    results = []
    if args.check:
        for d in args.check:
            results.append(((d, 0), check_run(d)))
    else:
        if not args.nebuta or not args.scenario:
            ap.error("give --check RUN_DIR, or --nebuta and --scenario")
        seeds = parse_seeds(args.seeds)
        with tempfile.TemporaryDirectory(prefix="nebuta-promises-") as workdir:
            jobs = [(s, n) for s in args.scenario for n in seeds]
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                futures = {pool.submit(simulate_and_check, args.nebuta, s, n, workdir): (s, n) for s, n in jobs}
                for fut in concurrent.futures.as_completed(futures):
                    s, n = futures[fut]
                    res, err = fut.result()
                    if err:
                        print(err, file=sys.stderr)
                        return 2
                    results.append(((os.path.basename(s), n), res))
    results.sort()
    results = [(name[0] if args.check else f"{name[0]} seed {name[1]}", res) for name, res in results]
    total = {"requests": 0, "served": 0, "no_show": 0, "broken": 0}
    shown = 0
    for name, (problems, counts) in results:
        for key in total:
            total[key] += counts[key]
        print(f"{name}: {counts['requests']} requests, {counts['served']} served, {counts['no_show']} no-shows, "
              f"{counts['broken']} broken promises or inconsistencies")
        for p in problems:
            if shown < 50:
                print("  " + p)
            shown += 1
    print(f"total over {len(results)} runs: {total['requests']} requests, {total['served']} served, "
          f"{total['no_show']} no-shows, {total['broken']} broken promises or inconsistencies")
    if total["broken"] > 0:
        return 1
    if total["no_show"] < args.min_no_shows:
        print(f"check_promises: only {total['no_show']} no-shows; the runs do not exercise the no-show rule",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
