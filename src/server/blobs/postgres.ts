/**
 * Blob bytes in PostgreSQL (`bytea`), so that any worker on any machine can write results and any API node can
 * serve them without a shared file system. Each put is one statement, so a reader sees all or nothing.
 *
 * Fits images and SVGs of a few MB (PostgreSQL caps one bytea at 1 GB, and big values cost memory on both
 * sides); for large volumes, another BlobStore (an S3-compatible one) can take its place: the service only
 * sees the BlobStore interface.
 */
import type pg from 'pg';
import type { BlobStore } from '../store/types.js';

export class PostgresBlobStore implements BlobStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(key: string, data: Uint8Array): Promise<void> {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await this.pool.query(
      'INSERT INTO blobs (key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, created_at = now()',
      [key, bytes]);
  }

  async get(key: string): Promise<Buffer | null> {
    const { rows } = await this.pool.query<{ data: Buffer }>('SELECT data FROM blobs WHERE key = $1', [key]);
    return rows[0]?.data ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.pool.query('DELETE FROM blobs WHERE key = $1', [key]);
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (!prefix.endsWith('/')) throw new Error('deletePrefix needs a prefix ending in /');
    // A range on the (C-collated) primary key instead of LIKE, so no escaping and an index scan.
    await this.pool.query('DELETE FROM blobs WHERE key >= $1 AND key < $2', [prefix, prefix.slice(0, -1) + '0']);
  }
}
