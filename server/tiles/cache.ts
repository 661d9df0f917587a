// In-memory tile cache, least recently used evicted first, bounded by bytes. Keys carry the
// data revision of the layer's tables, so an edit makes the old tiles unreachable at once (they age
// out); entries may also carry an expiry (incidents, which change constantly).
export interface CachedTile { body: Buffer; gzip: Buffer | null; etag: string; expires: number }

export class TileCache {
  private map = new Map<string, CachedTile>();
  private bytes = 0;
  constructor(public readonly maxBytes: number) {}

  get(key: string): CachedTile | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (hit.expires <= Date.now()) { this.delete(key); return undefined; }
    this.map.delete(key); // move to the most recently used end
    this.map.set(key, hit);
    return hit;
  }

  set(key: string, tile: CachedTile): void {
    if (this.maxBytes <= 0) return;
    const size = sizeOf(tile);
    if (size > this.maxBytes) return;
    this.delete(key);
    this.map.set(key, tile);
    this.bytes += size;
    for (const [k] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  private delete(key: string): void {
    const old = this.map.get(key);
    if (!old) return;
    this.map.delete(key);
    this.bytes -= sizeOf(old);
  }

  clear(): void { this.map.clear(); this.bytes = 0; }
  get size(): number { return this.map.size; }
  get totalBytes(): number { return this.bytes; }
}

const sizeOf = (t: CachedTile) => t.body.length + (t.gzip?.length ?? 0) + 64;
