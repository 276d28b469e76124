/**
 * The embedded Store: one SQLite file (better-sqlite3, WAL) in the data dir. Also the embedded queue's state:
 * the queue is the set of `queued` jobs in creation order, claimed with a compare-and-set.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  JOB_STATUSES,
  type ApiKeyRecord, type AssetRecord, type JobPatch, type JobRecord, type JobStatus, type JobType, type Page,
  type PageQuery, type ProjectRecord, type Store, type UploadRecord, type UploadStatus,
} from './types.js';
import { encodeToken, decodeToken } from './pagination.js';
import type { EmbeddedQueueStore, RequeueResult } from '../jobs/types.js';

/** Versioned migrations: entry i brings the schema from version i to i+1 (PRAGMA user_version). Append only. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE api_keys (
    api_key TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    job_type TEXT NOT NULL,
    status TEXT NOT NULL,
    progress REAL NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    metadata TEXT NOT NULL,
    status_history TEXT NOT NULL,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX jobs_by_project ON jobs (project_id, seq);
  CREATE INDEX jobs_by_project_status ON jobs (project_id, status, seq);
  CREATE INDEX jobs_by_status ON jobs (status, job_type, seq);
  CREATE TABLE assets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    name TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    kind TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX assets_by_project ON assets (project_id, seq);
  CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    kind TEXT NOT NULL,
    parts_count INTEGER NOT NULL,
    status TEXT NOT NULL,
    entity_id TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX uploads_by_status ON uploads (status);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

interface JobRow {
  seq: number; id: string; project_id: string; author_id: string; job_type: string; status: string;
  progress: number; attempts: number; metadata: string; status_history: string; error: string | null;
  created_at: string; updated_at: string;
}
interface AssetRow {
  seq: number; id: string; project_id: string; author_id: string; name: string; mime_type: string; kind: string;
  blob_key: string; size: number; width: number | null; height: number | null; metadata: string; created_at: string;
}
interface UploadRow {
  id: string; project_id: string; author_id: string; job_id: string; file_name: string; file_size: number;
  content_type: string; kind: string; parts_count: number; status: string; entity_id: string | null;
  error: string | null; created_at: string; updated_at: string;
}
interface KeyRow {
  api_key: string; project_id: string; name: string; secret_hash: string; created_at: string; revoked_at: string | null;
}

function jobFromRow(r: JobRow): JobRecord {
  return {
    id: r.id, projectId: r.project_id, authorId: r.author_id, jobType: r.job_type as JobType,
    status: r.status as JobStatus, progress: r.progress, attempts: r.attempts, metadata: JSON.parse(r.metadata),
    statusHistory: JSON.parse(r.status_history), error: r.error, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
function assetFromRow(r: AssetRow): AssetRecord {
  return {
    id: r.id, projectId: r.project_id, authorId: r.author_id, name: r.name, mimeType: r.mime_type, kind: r.kind,
    blobKey: r.blob_key, size: r.size, width: r.width, height: r.height, metadata: JSON.parse(r.metadata),
    createdAt: r.created_at,
  };
}
function uploadFromRow(r: UploadRow): UploadRecord {
  return {
    id: r.id, projectId: r.project_id, authorId: r.author_id, jobId: r.job_id, fileName: r.file_name,
    fileSize: r.file_size, contentType: r.content_type, kind: r.kind, partsCount: r.parts_count,
    status: r.status as UploadStatus, entityId: r.entity_id, error: r.error, createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
function keyFromRow(r: KeyRow): ApiKeyRecord {
  return {
    apiKey: r.api_key, projectId: r.project_id, name: r.name, secretHash: r.secret_hash, createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}


const now = () => new Date().toISOString();

export interface SqliteStoreOptions {
  /** Wait this long for a lock held by another process (the CLI's `keys` commands) before failing. */
  busyTimeoutMs?: number;
}

export class SqliteStore implements Store, EmbeddedQueueStore {
  readonly db: Db;

  constructor(readonly file: string, options: SqliteStoreOptions = {}) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.migrate();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(`${this.file} has schema version ${current}, newer than this program's ${MIGRATIONS.length}: upgrade vtracer`);
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  // ---- projects and keys

  async createProject(p: ProjectRecord): Promise<void> {
    this.db.prepare('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)').run(p.id, p.name, p.createdAt);
  }

  async getProject(id: string): Promise<ProjectRecord | null> {
    const r = this.db.prepare('SELECT id, name, created_at FROM projects WHERE id = ?').get(id) as
      { id: string; name: string; created_at: string } | undefined;
    return r ? { id: r.id, name: r.name, createdAt: r.created_at } : null;
  }

  async createApiKey(k: ApiKeyRecord): Promise<void> {
    this.db.prepare('INSERT INTO api_keys (api_key, project_id, name, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(k.apiKey, k.projectId, k.name, k.secretHash, k.createdAt, k.revokedAt);
  }

  async getApiKey(apiKey: string): Promise<ApiKeyRecord | null> {
    const r = this.db.prepare('SELECT * FROM api_keys WHERE api_key = ?').get(apiKey) as KeyRow | undefined;
    return r ? keyFromRow(r) : null;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, api_key').all() as KeyRow[]).map(keyFromRow);
  }

  async revokeApiKey(apiKey: string, at: string): Promise<boolean> {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE api_key = ? AND revoked_at IS NULL').run(at, apiKey).changes === 1;
  }

  // ---- jobs

  async createJob(j: JobRecord): Promise<void> {
    this.db.prepare(`INSERT INTO jobs (id, project_id, author_id, job_type, status, progress, attempts, metadata,
      status_history, error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(j.id, j.projectId, j.authorId, j.jobType, j.status, j.progress, j.attempts, JSON.stringify(j.metadata),
        JSON.stringify(j.statusHistory), j.error, j.createdAt, j.updatedAt);
  }

  private jobRow(id: string): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  async getJob(id: string, projectId?: string): Promise<JobRecord | null> {
    const r = this.jobRow(id);
    if (!r || (projectId !== undefined && r.project_id !== projectId)) return null;
    return jobFromRow(r);
  }

  async listJobs(projectId: string, q: PageQuery & { status?: JobStatus }): Promise<Page<JobRecord>> {
    const before = q.paginationToken ? decodeToken(q.paginationToken) : Number.MAX_SAFE_INTEGER;
    const rows = (q.status
      ? this.db.prepare('SELECT * FROM jobs WHERE project_id = ? AND status = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
        .all(projectId, q.status, before, q.pageSize + 1)
      : this.db.prepare('SELECT * FROM jobs WHERE project_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
        .all(projectId, before, q.pageSize + 1)) as JobRow[];
    const more = rows.length > q.pageSize;
    const page = rows.slice(0, q.pageSize);
    return { items: page.map(jobFromRow), nextPaginationToken: more ? encodeToken(page[page.length - 1]!.seq) : null };
  }

  /** Synchronous core of transitionJob, usable inside other transactions. */
  private transitionSync(id: string, from: readonly JobStatus[], to: JobStatus, patch: JobPatch = {}): JobRecord | null {
    const row = this.jobRow(id);
    if (!row || !from.includes(row.status as JobStatus)) return null;
    const job = jobFromRow(row);
    const date = now();
    job.statusHistory.push({ status: to, date });
    if (patch.metadata) job.metadata = { ...job.metadata, ...patch.metadata };
    const progress = patch.progress ?? (to === 'success' ? 1 : to === 'queued' ? 0 : job.progress);
    const error = patch.error !== undefined ? patch.error : job.error;
    const attempts = job.attempts + (patch.attemptsDelta ?? 0);
    const changed = this.db.prepare(`UPDATE jobs SET status = ?, progress = ?, error = ?, attempts = ?, metadata = ?,
      status_history = ?, updated_at = ? WHERE id = ? AND status = ?`)
      .run(to, progress, error, attempts, JSON.stringify(job.metadata), JSON.stringify(job.statusHistory), date, id, row.status)
      .changes;
    if (changed !== 1) return null;
    return { ...job, status: to, progress, error, attempts, updatedAt: date };
  }

  async transitionJob(id: string, from: readonly JobStatus[], to: JobStatus, patch?: JobPatch): Promise<JobRecord | null> {
    return this.db.transaction(() => this.transitionSync(id, from, to, patch)).immediate();
  }

  async setJobProgress(id: string, progress: number): Promise<void> {
    this.db.prepare(`UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ? AND status = 'in-progress' AND progress < ?`)
      .run(progress, now(), id, progress);
  }

  async completeJob(id: string, asset: AssetRecord, output?: Record<string, unknown>): Promise<JobRecord | null> {
    return this.db.transaction(() => {
      const row = this.jobRow(id);
      if (!row || row.status !== 'in-progress') return null;
      const metadata = JSON.parse(row.metadata) as JobRecord['metadata'];
      this.insertAsset(asset);
      return this.transitionSync(id, ['in-progress'], 'success', {
        progress: 1, error: null,
        metadata: { assetIds: [...metadata.assetIds, asset.id], ...(output ? { output } : {}) },
      });
    }).immediate();
  }

  async countJobsByStatus(): Promise<Record<JobStatus, number>> {
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: JobStatus; n: number }[]) {
      counts[r.status] = r.n;
    }
    return counts;
  }

  async countActiveJobs(projectId: string): Promise<number> {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE project_id = ? AND status IN ('queued', 'in-progress')`)
      .get(projectId) as { n: number }).n;
  }

  // ---- embedded queue

  async claimNextJob(jobType: JobType): Promise<JobRecord | null> {
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT id FROM jobs WHERE status = 'queued' AND job_type = ? ORDER BY seq LIMIT 1`)
        .get(jobType) as { id: string } | undefined;
      if (!row) return null;
      return this.transitionSync(row.id, ['queued'], 'in-progress', { attemptsDelta: 1, progress: 0 });
    }).immediate();
  }

  async requeueInterrupted(jobType: JobType, maxAttempts: number): Promise<RequeueResult> {
    return this.db.transaction(() => {
      const ids = (this.db.prepare(`SELECT id, attempts FROM jobs WHERE status = 'in-progress' AND job_type = ? ORDER BY seq`)
        .all(jobType) as { id: string; attempts: number }[]);
      const result: RequeueResult = { requeued: [], failed: [] };
      for (const { id, attempts } of ids) {
        if (attempts >= maxAttempts) {
          this.transitionSync(id, ['in-progress'], 'failure', {
            error: `The service stopped while tracing this job ${attempts} time(s); giving up after ${maxAttempts} attempts`,
          });
          result.failed.push(id);
        } else {
          this.transitionSync(id, ['in-progress'], 'queued', { progress: 0 });
          result.requeued.push(id);
        }
      }
      return result;
    }).immediate();
  }

  async countQueued(jobType: JobType): Promise<number> {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued' AND job_type = ?`).get(jobType) as { n: number }).n;
  }

  // ---- assets

  private insertAsset(a: AssetRecord): void {
    this.db.prepare(`INSERT INTO assets (id, project_id, author_id, name, mime_type, kind, blob_key, size, width, height,
      metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(a.id, a.projectId, a.authorId, a.name, a.mimeType, a.kind, a.blobKey, a.size, a.width, a.height,
        JSON.stringify(a.metadata), a.createdAt);
  }

  async createAsset(a: AssetRecord): Promise<void> {
    this.insertAsset(a);
  }

  async getAsset(id: string, projectId?: string): Promise<AssetRecord | null> {
    const r = this.db.prepare('SELECT * FROM assets WHERE id = ?').get(id) as AssetRow | undefined;
    if (!r || (projectId !== undefined && r.project_id !== projectId)) return null;
    return assetFromRow(r);
  }

  async listAssets(projectId: string, q: PageQuery): Promise<Page<AssetRecord>> {
    const before = q.paginationToken ? decodeToken(q.paginationToken) : Number.MAX_SAFE_INTEGER;
    const rows = this.db.prepare('SELECT * FROM assets WHERE project_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
      .all(projectId, before, q.pageSize + 1) as AssetRow[];
    const more = rows.length > q.pageSize;
    const page = rows.slice(0, q.pageSize);
    return { items: page.map(assetFromRow), nextPaginationToken: more ? encodeToken(page[page.length - 1]!.seq) : null };
  }

  async deleteAsset(id: string, projectId: string): Promise<AssetRecord | null> {
    return this.db.transaction(() => {
      const r = this.db.prepare('SELECT * FROM assets WHERE id = ? AND project_id = ?').get(id, projectId) as AssetRow | undefined;
      if (!r) return null;
      this.db.prepare('DELETE FROM assets WHERE id = ?').run(id);
      return assetFromRow(r);
    }).immediate();
  }

  // ---- uploads

  async createUpload(u: UploadRecord): Promise<void> {
    this.db.prepare(`INSERT INTO uploads (id, project_id, author_id, job_id, file_name, file_size, content_type, kind,
      parts_count, status, entity_id, error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(u.id, u.projectId, u.authorId, u.jobId, u.fileName, u.fileSize, u.contentType, u.kind, u.partsCount,
        u.status, u.entityId, u.error, u.createdAt, u.updatedAt);
  }

  async getUpload(id: string, projectId?: string): Promise<UploadRecord | null> {
    const r = this.db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as UploadRow | undefined;
    if (!r || (projectId !== undefined && r.project_id !== projectId)) return null;
    return uploadFromRow(r);
  }

  async transitionUpload(id: string, from: readonly UploadStatus[], to: UploadStatus,
    patch: { entityId?: string | null; error?: string | null } = {}): Promise<UploadRecord | null> {
    return this.db.transaction(() => {
      const r = this.db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as UploadRow | undefined;
      if (!r || !from.includes(r.status as UploadStatus)) return null;
      const u = uploadFromRow(r);
      const next: UploadRecord = {
        ...u, status: to, updatedAt: now(),
        entityId: patch.entityId !== undefined ? patch.entityId : u.entityId,
        error: patch.error !== undefined ? patch.error : u.error,
      };
      this.db.prepare('UPDATE uploads SET status = ?, entity_id = ?, error = ?, updated_at = ? WHERE id = ?')
        .run(next.status, next.entityId, next.error, next.updatedAt, id);
      return next;
    }).immediate();
  }

  async listUploadsByStatus(status: UploadStatus): Promise<UploadRecord[]> {
    return (this.db.prepare('SELECT * FROM uploads WHERE status = ? ORDER BY created_at').all(status) as UploadRow[]).map(uploadFromRow);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
