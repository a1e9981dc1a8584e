// The journey on a map, with Leaflet from /vendor/leaflet/ loaded only when a map is opened.
// A ride is drawn along its trip's shape when the answer has it (Leg.geometry, an encoded
// polyline), else stop to stop like walks; no tiles unless the operator set --tiles.
let leafletPromise = null;

function loadLeaflet(config) {
  if (!leafletPromise) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = '/vendor/leaflet/leaflet.css';
    document.head.append(css);
    leafletPromise = import(config.leaflet || '/vendor/leaflet/leaflet.esm.min.js');
  }
  return leafletPromise;
}

// Google's encoded polyline algorithm (precision 6 in Nebuta's answers) → [[lat, lon], ...];
// null when the text is not a whole polyline.
export function decodePolyline(text, precision = 6) {
  const scale = 10 ** precision;
  const points = [];
  let i = 0;
  let lat = 0;
  let lon = 0;
  const next = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (i >= text.length) return null;
      const b = text.charCodeAt(i++) - 63;
      if (b < 0 || b > 63) return null;
      result += (b & 0x1f) * 2 ** shift;  // not <<: 32-bit in JavaScript
      shift += 5;
      if (b < 0x20) break;
    }
    return result % 2 === 1 ? -(result + 1) / 2 : result / 2;
  };
  while (i < text.length) {
    const dlat = next();
    const dlon = dlat === null ? null : next();
    if (dlon === null) return null;
    lat += dlat;
    lon += dlon;
    points.push([lat / scale, lon / scale]);
  }
  return points;
}

// The points of every leg: along the leg's geometry when it has one, else from, the
// intermediate stops that have coordinates, to.
export function legLines(journey) {
  const lines = [];
  for (const leg of journey.legs ?? []) {
    const shaped = leg.geometry?.polyline ? decodePolyline(leg.geometry.polyline) : null;
    if (shaped && shaped.length >= 2) {
      lines.push({ leg, points: shaped, shaped: true });
      continue;
    }
    const pts = [];
    const add = (p) => {
      if (p && typeof p.lat === 'number' && typeof p.lon === 'number') pts.push([p.lat, p.lon]);
    };
    add(leg.from);
    for (const s of leg.intermediate_stops ?? []) add(s);
    add(leg.to);
    if (pts.length >= 2) lines.push({ leg, points: pts, shaped: false });
  }
  return lines;
}

export async function drawJourney(container, journey, config, colorOf) {
  const L = await loadLeaflet(config);
  const map = L.map(container, { attributionControl: Boolean(config.tiles), zoomSnap: 0.25 });
  if (config.tiles?.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution || '', maxZoom: 19 }).addTo(map);
  }
  const bounds = [];
  const lines = legLines(journey);
  // What each line was given (Leaflet draws fewer vertices at low zoom): for tests and debugging.
  container.dataset.linePoints = lines.map((l) => (l.shaped ? `${l.points.length}s` : String(l.points.length))).join(' ');
  for (const { leg, points, shaped } of lines) {
    const walk = leg.mode === 'walk';
    L.polyline(points, { color: walk ? '#3d4a57' : colorOf(leg), weight: walk ? 3 : 6, dashArray: walk ? '4 6' : null,
                         className: shaped ? 'leg-line shaped' : 'leg-line' }).addTo(map);
    for (const p of [points[0], points[points.length - 1]]) {
      L.circleMarker(p, { radius: 6, color: '#1a1a1a', weight: 2, fillColor: '#ffffff', fillOpacity: 1 }).addTo(map);
    }
    bounds.push(...points);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24] });
  else map.setView([40.5, 141.4], 10);
  return map;
}
