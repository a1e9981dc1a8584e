// The map's lines (api/web/app/map.js): encoded polylines decoded against Google's published
// example, and legs drawn along their geometry when the answer has one, else stop to stop.
import test from 'node:test';
import assert from 'node:assert/strict';
import { decodePolyline, legLines } from '../../api/web/app/map.js';

const near = (a, b) => a.length === b.length && a.every(([la, lo], i) => Math.abs(la - b[i][0]) < 1e-9 && Math.abs(lo - b[i][1]) < 1e-9);

test("Google's example polyline decodes to its three points", () => {
  // developers.google.com/maps/documentation/utilities/polylinealgorithm: precision 5.
  const pts = decodePolyline('_p~iF~ps|U_ulLnnqC_mqNvxq`@', 5);
  assert.ok(near(pts, [[38.5, -120.2], [40.7, -120.95], [43.252, -126.453]]), JSON.stringify(pts));
});

test('precision 6, and broken text is refused', () => {
  // (0.5, -1) then (0.500001, -0.999999): deltas 500000, -1000000, 1, 1, zig-zagged to 1000000,
  // 1999999, 2, 2, in 5-bit chunks from the lowest, +0x20 on all but a value's last, +63.
  assert.ok(near(decodePolyline('_qo]~b`|@AA'), [[0.5, -1], [0.500001, -0.999999]]));
  assert.equal(decodePolyline('_qo]~b`'), null);  // cut in the middle of a value
  assert.equal(decodePolyline('_qo]'), null);     // a latitude without its longitude
  assert.equal(decodePolyline('ab c'), null);       // outside the alphabet
  assert.deepEqual(decodePolyline(''), []);
});

test('a ride with geometry follows it; one without, and a walk, go stop to stop', () => {
  const journey = {
    legs: [
      { mode: 'walk', from: { lat: 0.5, lon: -1.001 }, to: { lat: 0.5, lon: -1 } },
      { mode: 'ride', from: { lat: 0.5, lon: -1 }, to: { lat: 0.500001, lon: -0.999999 },
        geometry: { polyline: '_qo]~b`|@AA', points: 2 } },
      { mode: 'ride', from: { lat: 1, lon: 1 }, intermediate_stops: [{ lat: 1.5, lon: 1 }, { name: 'no coordinates' }],
        to: { lat: 2, lon: 1 }, geometry: { polyline: '' } },
    ],
  };
  const lines = legLines(journey);
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0].points, [[0.5, -1.001], [0.5, -1]]);
  assert.equal(lines[1].shaped, true);
  assert.ok(near(lines[1].points, [[0.5, -1], [0.500001, -0.999999]]));
  assert.equal(lines[2].shaped, false);
  assert.deepEqual(lines[2].points, [[1, 1], [1.5, 1], [2, 1]]);
});
