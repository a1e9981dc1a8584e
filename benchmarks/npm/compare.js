// Runs a query CSV (id,from_stop,to_stop,departure) through the npm package raptor-journey-planner
// and prints id,arrival,legs like `nebuta plan --queries`, with load time and latency on stderr.
//   NODE_PATH=<dir with node_modules> node compare.js FEED.zip YYYY-MM-DD QUERIES.csv
"use strict";
const fs = require("fs");
const { loadGTFS, JourneyFactory, RaptorAlgorithmFactory, DepartAfterQuery } = require("raptor-journey-planner");

// On Node 20 the package's gtfs-stream parses every row but never emits "end", so loadGTFS never
// resolves. We hand it a stream whose pipe() remembers the parser and emit "end" on it once the
// event loop has drained (all rows delivered).
function zipStreamWithEnd(zip) {
  const real = fs.createReadStream(zip);
  return {
    pipe(dest) {
      real.pipe(dest);
      process.once("beforeExit", () => dest.emit("end"));
      return dest;
    },
  };
}

async function main() {
  const [zip, date, queriesFile] = process.argv.slice(2);
  const t0 = process.hrtime.bigint();
  const [trips, transfers, interchange] = await loadGTFS(zipStreamWithEnd(zip));
  // No date: the package would otherwise drop every trip not running on the query date, and
  // with it the next-day search that Nebuta also does.
  const raptor = RaptorAlgorithmFactory.create(trips, transfers, interchange);
  const query = new DepartAfterQuery(raptor, new JourneyFactory());
  const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const lines = fs.readFileSync(queriesFile, "utf8").trim().split("\n").slice(1);
  const latencies = [];
  const out = ["id,arrival,legs"];
  for (const line of lines) {
    const [id, from, to, departure] = line.split(",");
    const day = new Date(date + "T00:00:00");
    const q0 = process.hrtime.bigint();
    let journeys = [];
    try {
      journeys = query.plan(from, to, day, +departure);
    } catch (e) {
      journeys = [];
    }
    latencies.push(Number(process.hrtime.bigint() - q0) / 1e3);
    // Earliest arrival, then fewest vehicle legs; only answers on the query date are comparable.
    let best = null;
    for (const j of journeys) {
      const rides = j.legs.filter(l => l.stopTimes !== undefined).length;
      if (best === null || j.arrivalTime < best[0] || (j.arrivalTime === best[0] && rides < best[1])) {
        best = [j.arrivalTime, rides];
      }
    }
    const sameDay = best !== null && day.toISOString().slice(0, 10) === date;
    out.push(`${id},${best && sameDay ? best[0] : ""},${best && sameDay ? best[1] : ""}`);
  }
  process.stdout.write(out.join("\n") + "\n");
  latencies.sort((a, b) => a - b);
  const pct = p => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  const sum = latencies.reduce((a, b) => a + b, 0);
  process.stderr.write(`load: ${loadSeconds.toFixed(3)} s  queries: ${latencies.length}  p50: ${pct(0.5).toFixed(1)} us  ` +
    `p90: ${pct(0.9).toFixed(1)} us  p99: ${pct(0.99).toFixed(1)} us  ${(latencies.length / (sum / 1e6)).toFixed(0)} queries/s\n`);
}

main().catch(e => { console.error(e); process.exit(1); });
