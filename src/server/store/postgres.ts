/**
 * The distributed Store: PostgreSQL through a `pg` pool, shared by every API node and worker. Every change of a
 * job's status is one compare-and-set UPDATE (status = ANY(from)), so concurrent nodes never both win; the
 * completion of a trace job inserts its output asset and lists it in the job in one transaction, and a unique
 * index allows a single output per job however many times the job was retried.
 */
import pg from 'pg';
import {
  JOB_STATUSES,
  type ApiKeyRecord, type AssetRecord, type JobPatch, type JobRecord, type JobStatus, type JobType, type Page,
  type PageQuery, type ProjectRecord, type Store, type UploadRecord, type UploadStatus,
} from './types.js';
import { encodeToken, decodeToken } from './pagination.js';
import { migrate, type MigrateResult } from '../migrations/postgres.js';

// bigint (seq, sizes) as JS numbers: they stay far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

interface JobRow {
  seq: number; id: string; project_id: string; author_id: string; job_type: string; status: string;
  progress: number; attempts: number; metadata: JobRecord['metadata']; status_history: JobRecord['statusHistory'];
  error: string | null; created_at: Date; updated_at: Date;
}
interface AssetRow {
  seq: number; id: string; project_id: string; author_id: string; name: string; mime_type: string; kind: string;
  blob_key: string; size: number; width: number | null; height: number | null; metadata: Record<string, unknown>;
  created_at: Date;
}
interface UploadRow {
  id: string; project_id: string; author_id: string; job_id: string; file_name: string; file_size: number;
  content_type: string; kind: string; parts_count: number; status: string; entity_id: string | null;
  error: string | null; created_at: Date; updated_at: Date;
}
interface KeyRow {
  api_key: string; project_id: string; name: string; secret_hash: string; created_at: Date; revoked_at: Date | null;
}

const iso = (d: Date) => d.toISOString();

function jobFromRow(r: JobRow): JobRecord {
  return {
    id: r.id, projectId: r.project_id, authorId: r.author_id, jobType: r.job_type as JobType,
    status: r.status as JobStatus, progress: r.progress, attempts: r.attempts, metadata: r.metadata,
    statusHistory: r.status_history, error: r.error, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  };
}
function assetFromRow(r: AssetRow): AssetRecord {
  return {
    id: r.id, projectId: r.project_id, authorId: r.author_id, name: r.name, mimeType: r.mime_type, kind: r.kind,
    blobKey: r.blob_key, size: r.size, width: r.width, height: r.height, metadata: r.metadata, createdAt: iso(r.created_at),
  };
}
function uploadFromRow(r: UploadRow): UploadRecord {
  return {
    id: r.id, projectId: r.project_id, authorId: r.author_id, jobId: r.job_id, fileName: r.file_name,
    fileSize: r.file_size, contentType: r.content_type, kind: r.kind, partsCount: r.parts_count,
    status: r.status as UploadStatus, entityId: r.entity_id, error: r.error, createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
function keyFromRow(r: KeyRow): ApiKeyRecord {
  return {
    apiKey: r.api_key, projectId: r.project_id, name: r.name, secretHash: r.secret_hash, createdAt: iso(r.created_at),
    revokedAt: r.revoked_at ? iso(r.revoked_at) : null,
  };
}


/** One UPDATE that moves a job from one of `from` to `to`, with the patch; the caller adds `RETURNING *`. */
function transitionQuery(id: string, from: readonly JobStatus[], to: JobStatus, patch: JobPatch = {}): { text: string; values: unknown[] } {
  const date = new Date().toISOString();
  return {
    text: `UPDATE jobs SET
        status = $2,
        progress = COALESCE($3::double precision, CASE WHEN $2 = 'success' THEN 1 WHEN $2 = 'queued' THEN 0 ELSE progress END),
        error = CASE WHEN $4::boolean THEN $5::text ELSE error END,
        attempts = attempts + $6::integer,
        metadata = metadata || $7::jsonb,
        status_history = status_history || jsonb_build_array(jsonb_build_object('status', $2::text, 'date', $8::text)),
        updated_at = $8::timestamptz
      WHERE id = $1 AND status = ANY($9::text[])
      RETURNING *`,
    values: [
      id, to, patch.progress ?? null, patch.error !== undefined, patch.error ?? null, patch.attemptsDelta ?? 0,
      JSON.stringify(patch.metadata ?? {}), date, [...from],
    ],
  };
}

export interface PostgresStoreOptions {
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  private closed = false;

  constructor(readonly url: string, options: PostgresStoreOptions = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'vtracer',
      connectionTimeoutMillis: 10_000,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => {});
  }

  /** Applies the missing schema migrations (see migrations/postgres.ts). */
  migrate(): Promise<MigrateResult> {
    return migrate(this.pool);
  }

  /** Runs `fn` in a transaction on one client. */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** A setting shared by every node: the stored value, or `candidate` stored now if there was none (first start). */
  async sharedSetting(name: string, candidate: string): Promise<string> {
    await this.pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, candidate]);
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
    return rows[0]!.value;
  }

  // ---- projects and keys

  async createProject(p: ProjectRecord): Promise<void> {
    await this.pool.query('INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3)', [p.id, p.name, p.createdAt]);
  }

  async getProject(id: string): Promise<ProjectRecord | null> {
    const { rows } = await this.pool.query<{ id: string; name: string; created_at: Date }>(
      'SELECT id, name, created_at FROM projects WHERE id = $1', [id]);
    const r = rows[0];
    return r ? { id: r.id, name: r.name, createdAt: iso(r.created_at) } : null;
  }

  async createApiKey(k: ApiKeyRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO api_keys (api_key, project_id, name, secret_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [k.apiKey, k.projectId, k.name, k.secretHash, k.createdAt, k.revokedAt]);
  }

  async getApiKey(apiKey: string): Promise<ApiKeyRecord | null> {
    const { rows } = await this.pool.query<KeyRow>('SELECT * FROM api_keys WHERE api_key = $1', [apiKey]);
    return rows[0] ? keyFromRow(rows[0]) : null;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, api_key');
    return rows.map(keyFromRow);
  }

  async revokeApiKey(apiKey: string, at: string): Promise<boolean> {
    const r = await this.pool.query('UPDATE api_keys SET revoked_at = $1 WHERE api_key = $2 AND revoked_at IS NULL', [at, apiKey]);
    return r.rowCount === 1;
  }

  // ---- jobs

  async createJob(j: JobRecord): Promise<void> {
    await this.pool.query(`INSERT INTO jobs (id, project_id, author_id, job_type, status, progress, attempts, metadata,
      status_history, error, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [j.id, j.projectId, j.authorId, j.jobType, j.status, j.progress, j.attempts, JSON.stringify(j.metadata),
      JSON.stringify(j.statusHistory), j.error, j.createdAt, j.updatedAt]);
  }

  async getJob(id: string, projectId?: string): Promise<JobRecord | null> {
    const { rows } = await this.pool.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
    const r = rows[0];
    if (!r || (projectId !== undefined && r.project_id !== projectId)) return null;
    return jobFromRow(r);
  }

  async listJobs(projectId: string, q: PageQuery & { status?: JobStatus }): Promise<Page<JobRecord>> {
    const before = q.paginationToken ? decodeToken(q.paginationToken) : Number.MAX_SAFE_INTEGER;
    const { rows } = q.status
      ? await this.pool.query<JobRow>('SELECT * FROM jobs WHERE project_id = $1 AND status = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4',
        [projectId, q.status, before, q.pageSize + 1])
      : await this.pool.query<JobRow>('SELECT * FROM jobs WHERE project_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
        [projectId, before, q.pageSize + 1]);
    const more = rows.length > q.pageSize;
    const page = rows.slice(0, q.pageSize);
    return { items: page.map(jobFromRow), nextPaginationToken: more ? encodeToken(page[page.length - 1]!.seq) : null };
  }

  async transitionJob(id: string, from: readonly JobStatus[], to: JobStatus, patch?: JobPatch): Promise<JobRecord | null> {
    const { rows } = await this.pool.query<JobRow>(transitionQuery(id, from, to, patch));
    return rows[0] ? jobFromRow(rows[0]) : null;
  }

  async setJobProgress(id: string, progress: number): Promise<void> {
    await this.pool.query(
      `UPDATE jobs SET progress = $2, updated_at = now() WHERE id = $1 AND status = 'in-progress' AND progress < $2`, [id, progress]);
  }

  /**
   * In one transaction, with the job's row locked: only if it is still `in-progress`, insert the asset as the
   * job's one output (a second output for the same job is refused by the unique index) and move the job to
   * `success` with the asset listed once.
   */
  async completeJob(id: string, asset: AssetRecord, output?: Record<string, unknown>): Promise<JobRecord | null> {
    return this.tx(async (c) => {
      const { rows } = await c.query<{ status: string; metadata: JobRecord['metadata'] }>(
        'SELECT status, metadata FROM jobs WHERE id = $1 FOR UPDATE', [id]);
      const row = rows[0];
      if (!row || row.status !== 'in-progress') return null;
      const inserted = await c.query(`INSERT INTO assets (id, project_id, author_id, name, mime_type, kind, blob_key, size,
          width, height, metadata, output_of_job, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (output_of_job) WHERE output_of_job IS NOT NULL DO NOTHING`,
      [asset.id, asset.projectId, asset.authorId, asset.name, asset.mimeType, asset.kind, asset.blobKey, asset.size,
        asset.width, asset.height, JSON.stringify(asset.metadata), id, asset.createdAt]);
      if (inserted.rowCount !== 1) return null;
      const assetIds = row.metadata.assetIds.includes(asset.id) ? row.metadata.assetIds : [...row.metadata.assetIds, asset.id];
      const done = await c.query<JobRow>(transitionQuery(id, ['in-progress'], 'success', {
        progress: 1, error: null, metadata: { assetIds, ...(output ? { output } : {}) },
      }));
      return done.rows[0] ? jobFromRow(done.rows[0]) : null;
    });
  }

  async countJobsByStatus(): Promise<Record<JobStatus, number>> {
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    const { rows } = await this.pool.query<{ status: JobStatus; n: number }>('SELECT status, COUNT(*)::int AS n FROM jobs GROUP BY status');
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  async countActiveJobs(projectId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM jobs WHERE project_id = $1 AND status IN ('queued', 'in-progress')`, [projectId]);
    return rows[0]!.n;
  }

  /**
   * Trace jobs not finished whose record has not changed since `before`, in creation order after `afterSeq`
   * (for the queue's reconciliation, which walks them page by page), with their position.
   */
  async listStaleUnfinishedJobs(jobType: JobType, before: Date, afterSeq = 0, limit = 200): Promise<{ job: JobRecord; seq: number }[]> {
    const { rows } = await this.pool.query<JobRow>(
      `SELECT * FROM jobs WHERE job_type = $1 AND status IN ('queued', 'in-progress') AND updated_at < $2 AND seq > $3
       ORDER BY seq LIMIT $4`,
      [jobType, before, afterSeq, limit]);
    return rows.map((r) => ({ job: jobFromRow(r), seq: r.seq }));
  }

  /** Number of output assets recorded for a job (tests: never more than one). */
  async countOutputs(jobId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM assets WHERE output_of_job = $1 OR metadata->>'parentJobId' = $1`, [jobId]);
    return rows[0]!.n;
  }

  // ---- assets

  async createAsset(a: AssetRecord): Promise<void> {
    await this.pool.query(`INSERT INTO assets (id, project_id, author_id, name, mime_type, kind, blob_key, size, width, height,
      metadata, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [a.id, a.projectId, a.authorId, a.name, a.mimeType, a.kind, a.blobKey, a.size, a.width, a.height,
      JSON.stringify(a.metadata), a.createdAt]);
  }

  async getAsset(id: string, projectId?: string): Promise<AssetRecord | null> {
    const { rows } = await this.pool.query<AssetRow>('SELECT * FROM assets WHERE id = $1', [id]);
    const r = rows[0];
    if (!r || (projectId !== undefined && r.project_id !== projectId)) return null;
    return assetFromRow(r);
  }

  async listAssets(projectId: string, q: PageQuery): Promise<Page<AssetRecord>> {
    const before = q.paginationToken ? decodeToken(q.paginationToken) : Number.MAX_SAFE_INTEGER;
    const { rows } = await this.pool.query<AssetRow>(
      'SELECT * FROM assets WHERE project_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3', [projectId, before, q.pageSize + 1]);
    const more = rows.length > q.pageSize;
    const page = rows.slice(0, q.pageSize);
    return { items: page.map(assetFromRow), nextPaginationToken: more ? encodeToken(page[page.length - 1]!.seq) : null };
  }

  async deleteAsset(id: string, projectId: string): Promise<AssetRecord | null> {
    const { rows } = await this.pool.query<AssetRow>('DELETE FROM assets WHERE id = $1 AND project_id = $2 RETURNING *', [id, projectId]);
    return rows[0] ? assetFromRow(rows[0]) : null;
  }

  // ---- uploads

  async createUpload(u: UploadRecord): Promise<void> {
    await this.pool.query(`INSERT INTO uploads (id, project_id, author_id, job_id, file_name, file_size, content_type, kind,
      parts_count, status, entity_id, error, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [u.id, u.projectId, u.authorId, u.jobId, u.fileName, u.fileSize, u.contentType, u.kind, u.partsCount,
      u.status, u.entityId, u.error, u.createdAt, u.updatedAt]);
  }

  async getUpload(id: string, projectId?: string): Promise<UploadRecord | null> {
    const { rows } = await this.pool.query<UploadRow>('SELECT * FROM uploads WHERE id = $1', [id]);
    const r = rows[0];
    if (!r || (projectId !== undefined && r.project_id !== projectId)) return null;
    return uploadFromRow(r);
  }

  async transitionUpload(id: string, from: readonly UploadStatus[], to: UploadStatus,
    patch: { entityId?: string | null; error?: string | null } = {}): Promise<UploadRecord | null> {
    const { rows } = await this.pool.query<UploadRow>(`UPDATE uploads SET status = $2,
        entity_id = CASE WHEN $3::boolean THEN $4::text ELSE entity_id END,
        error = CASE WHEN $5::boolean THEN $6::text ELSE error END,
        updated_at = now()
      WHERE id = $1 AND status = ANY($7::text[]) RETURNING *`,
    [id, to, patch.entityId !== undefined, patch.entityId ?? null, patch.error !== undefined, patch.error ?? null, [...from]]);
    return rows[0] ? uploadFromRow(rows[0]) : null;
  }

  async listUploadsByStatus(status: UploadStatus): Promise<UploadRecord[]> {
    const { rows } = await this.pool.query<UploadRow>('SELECT * FROM uploads WHERE status = $1 ORDER BY created_at', [status]);
    return rows.map(uploadFromRow);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
