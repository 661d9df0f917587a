// A camera's field of view on the ground: a circular sector from its position, centred on its
// heading (degrees clockwise from north), `fov` degrees wide, `rangeM` metres long. Plain
// local-tangent-plane math (metres → degrees at the camera's latitude): at a few hundred metres the
// error is far below a pixel.

const M_PER_DEG_LAT = 111_320;

export function viewCone(
  lon: number,
  lat: number,
  headingDeg: number,
  fovDeg: number,
  rangeM: number,
  steps = 12,
): Array<[number, number]> {
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
  const fov = Math.max(1, Math.min(360, fovDeg));
  const start = headingDeg - fov / 2;
  const ring: Array<[number, number]> = [];
  if (fov < 360) ring.push([lon, lat]);
  for (let i = 0; i <= steps; i++) {
    const a = ((start + (fov * i) / steps) * Math.PI) / 180;
    // Bearing a: east = sin(a), north = cos(a).
    ring.push([lon + (rangeM * Math.sin(a)) / mPerDegLon, lat + (rangeM * Math.cos(a)) / M_PER_DEG_LAT]);
  }
  ring.push(ring[0]);
  return ring;
}
