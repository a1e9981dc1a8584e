// The journey on a map, with Leaflet from /vendor/leaflet/ loaded only when a map is opened.
// Legs are drawn stop to stop (the API gives no shapes yet); no tiles unless the operator set --tiles.
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

// The points of every leg: from, the intermediate stops that have coordinates, to.
export function legLines(journey) {
  const lines = [];
  for (const leg of journey.legs ?? []) {
    const pts = [];
    const add = (p) => {
      if (p && typeof p.lat === 'number' && typeof p.lon === 'number') pts.push([p.lat, p.lon]);
    };
    add(leg.from);
    for (const s of leg.intermediate_stops ?? []) add(s);
    add(leg.to);
    if (leg.geometry?.coordinates?.length) {
      lines.push({ leg, points: leg.geometry.coordinates.map(([lon, lat]) => [lat, lon]) });
    } else if (pts.length >= 2) {
      lines.push({ leg, points: pts });
    }
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
  for (const { leg, points } of legLines(journey)) {
    const walk = leg.mode === 'walk';
    L.polyline(points, { color: walk ? '#3d4a57' : colorOf(leg), weight: walk ? 3 : 6, dashArray: walk ? '4 6' : null }).addTo(map);
    for (const p of [points[0], points[points.length - 1]]) {
      L.circleMarker(p, { radius: 6, color: '#1a1a1a', weight: 2, fillColor: '#ffffff', fillOpacity: 1 }).addTo(map);
    }
    bounds.push(...points);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24] });
  else map.setView([40.5, 141.4], 10);
  return map;
}
