#!/usr/bin/env python3
"""Plan requests between a random point and a random stop, as a visitor tapping the map makes.

Usage: coordinate_requests.py FEED_DIR [DATE] [N] [SEED] > requests.txt

One request path per line (/v1/plan?...): one end a random coordinate in the bounding box of the
feed's stops, the other a random stop (alternating which end is which), a random time from
06:00 to 19:59, lang=en. Used to compare two binaries answer for answer (stop 31: the
coordinate walk rule, docs/planner.md): run each line against both servers, compare the bodies.
"""
import csv
import random
import sys
import urllib.parse


def main():
    feed = sys.argv[1]
    date = sys.argv[2] if len(sys.argv) > 2 else "2026-04-08"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 150
    rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    with open(f"{feed}/stops.txt", encoding="utf-8-sig") as f:
        stops = [r for r in csv.DictReader(f) if r.get("stop_lat")]
    lats = [float(r["stop_lat"]) for r in stops]
    lons = [float(r["stop_lon"]) for r in stops]
    for i in range(n):
        point = f"{rnd.uniform(min(lats), max(lats)):.6f},{rnd.uniform(min(lons), max(lons)):.6f}"
        stop = rnd.choice(stops)["stop_id"]
        frm, to = (point, stop) if i % 2 == 0 else (stop, point)
        depart = f"{rnd.randint(6, 19):02d}:{rnd.randint(0, 59):02d}"
        query = {"from": frm, "to": to, "date": date, "depart": depart, "lang": "en"}
        print("/v1/plan?" + urllib.parse.urlencode(query))


if __name__ == "__main__":
    main()
