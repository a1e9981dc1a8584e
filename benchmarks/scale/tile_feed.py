#!/usr/bin/env python3
"""Tile a GTFS feed into a large synthetic one for the scale benchmark (benchmarks/scale/run.sh).

    tile_feed.py [--copies N] [--columns C] [--overlap-m M] SOURCE_DIR OUT_DIR

Each copy gets its own ids (prefix "<copy>_" on stops, routes, trips, services, blocks) and is
shifted on a grid of C columns by the feed's extent minus an overlap of M metres, so that the
stops along each seam fall within walking distance of the neighbouring copy's: the importer's
walking links join the copies there. Times, calendars and the agency stay as they are. Shapes and
fares are left out (the planner does not read them). Standard library only.
"""
import argparse
import csv
import math
import os
import sys

PREFIXED = {
    "stops.txt": ["stop_id", "parent_station", "zone_id", "level_id"],
    "routes.txt": ["route_id"],
    "trips.txt": ["route_id", "service_id", "trip_id", "block_id"],
    "stop_times.txt": ["trip_id", "stop_id"],
    "calendar.txt": ["service_id"],
    "calendar_dates.txt": ["service_id"],
    "frequencies.txt": ["trip_id"],
    "transfers.txt": ["from_stop_id", "to_stop_id", "from_route_id", "to_route_id", "from_trip_id", "to_trip_id"],
}
DROPPED_COLUMNS = {"trips.txt": ["shape_id"]}


def read_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--columns", type=int, default=5)
    ap.add_argument("--overlap-m", type=float, default=1000.0)
    ap.add_argument("source")
    ap.add_argument("out")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    header, stops = read_rows(os.path.join(a.source, "stops.txt"))
    lat_i, lon_i = header.index("stop_lat"), header.index("stop_lon")
    coords = [(float(r[lat_i]), float(r[lon_i])) for r in stops if r[lat_i] and r[lon_i]]
    min_lat, max_lat = min(c[0] for c in coords), max(c[0] for c in coords)
    min_lon, max_lon = min(c[1] for c in coords), max(c[1] for c in coords)
    metres_per_deg = 6371000.0 * math.pi / 180.0
    step_lat = (max_lat - min_lat) - a.overlap_m / metres_per_deg
    mid = math.radians((min_lat + max_lat) / 2.0)
    step_lon = (max_lon - min_lon) - a.overlap_m / (metres_per_deg * math.cos(mid))

    rows_written = 0
    for name in sorted(os.listdir(a.source)):
        if name == "agency.txt":
            with open(os.path.join(a.source, name), encoding="utf-8-sig") as src, open(os.path.join(a.out, name), "w", encoding="utf-8") as dst:
                dst.write(src.read())
            continue
        if name not in PREFIXED:
            continue
        header, rows = read_rows(os.path.join(a.source, name))
        keep = [i for i, col in enumerate(header) if col not in DROPPED_COLUMNS.get(name, [])]
        prefixed = [i for i, col in enumerate(header) if col in PREFIXED[name]]
        with open(os.path.join(a.out, name), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([header[i] for i in keep])
            for copy in range(a.copies):
                p = f"{copy}_"
                dlat = (copy // a.columns) * step_lat
                dlon = (copy % a.columns) * step_lon
                for r in rows:
                    r = list(r) + [""] * (len(header) - len(r))
                    for i in prefixed:
                        if r[i]:
                            r[i] = p + r[i]
                    if name == "stops.txt" and r[lat_i] and r[lon_i]:
                        r[lat_i] = f"{float(r[lat_i]) + dlat:.6f}"
                        r[lon_i] = f"{float(r[lon_i]) + dlon:.6f}"
                    w.writerow([r[i] for i in keep])
                    rows_written += 1
    print(f"tile_feed: {a.copies} copies of {a.source} in {a.out} ({rows_written} rows)", file=sys.stderr)


if __name__ == "__main__":
    main()
