/**
 * The service's storage and dispatch seams. Routes only see these interfaces, so that the embedded mode
 * (SQLite + files + worker threads in one process) and a distributed mode (PostgreSQL + Redis/BullMQ + worker
 * processes) are interchangeable. Every method is async even where the embedded implementation is not.
 */

/** `pending` is only used by upload jobs waiting for their parts; trace jobs start `queued`. */
export type JobStatus = 'pending' | 'queued' | 'in-progress' | 'success' | 'failure' | 'canceled';
export const TERMINAL_STATUSES: readonly JobStatus[] = ['success', 'failure', 'canceled'];
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'queued', 'in-progress', 'success', 'failure', 'canceled'];

/** `custom`: a trace of the VTracer model; `upload`: the import of a multipart upload. */
export type JobType = 'custom' | 'upload';

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyRecord {
  /** The public half of the credentials (the Basic auth user name). */
  apiKey: string;
  projectId: string;
  name: string;
  /** Slow hash of the secret (see auth.ts); the secret itself is never stored. */
  secretHash: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface StatusChange {
  status: JobStatus;
  date: string;
}

export interface JobMetadata {
  /** The effective parameters of the job, with `modelId` (trace jobs) or the upload's description. */
  input: Record<string, unknown>;
  assetIds: string[];
  output?: Record<string, unknown>;
}

export interface JobRecord {
  id: string;
  projectId: string;
  /** The API key that created the job. */
  authorId: string;
  jobType: JobType;
  status: JobStatus;
  progress: number;
  /** How many times a worker started this job (crash recovery bounds it). */
  attempts: number;
  metadata: JobMetadata;
  statusHistory: StatusChange[];
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AssetRecord {
  id: string;
  projectId: string;
  authorId: string;
  name: string;
  mimeType: string;
  /** `image` for inputs, `vectorization` for traced SVGs. */
  kind: string;
  /** Opaque key of the bytes in the BlobStore. */
  blobKey: string;
  size: number;
  width: number | null;
  height: number | null;
  /** Free-form: kind, parentJobId, modelId, source... */
  metadata: Record<string, unknown>;
  createdAt: string;
}

export type UploadStatus = 'pending' | 'validating' | 'imported' | 'failed';

export interface UploadRecord {
  id: string;
  projectId: string;
  authorId: string;
  jobId: string;
  fileName: string;
  fileSize: number;
  contentType: string;
  kind: string;
  partsCount: number;
  status: UploadStatus;
  /** The imported asset's id once `imported`. */
  entityId: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; null on the last page. */
  nextPaginationToken: string | null;
}

export interface PageQuery {
  pageSize: number;
  /** A token returned by a previous call; the store throws InvalidPaginationTokenError on a bad one. */
  paginationToken?: string;
}

/** Thrown by a store for a pagination token it did not produce. */
export class InvalidPaginationTokenError extends Error {
  constructor(readonly token: string) {
    super('invalid pagination token');
    this.name = 'InvalidPaginationTokenError';
  }
}

export interface JobPatch {
  progress?: number;
  error?: string | null;
  /** Shallow-merged into the record's metadata. */
  metadata?: Partial<JobMetadata>;
  attemptsDelta?: number;
}

/** Keys, projects, jobs, asset and upload records. Reads scoped by project return null for another project. */
export interface Store {
  createProject(project: ProjectRecord): Promise<void>;
  getProject(id: string): Promise<ProjectRecord | null>;
  createApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(apiKey: string): Promise<ApiKeyRecord | null>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** False when the key does not exist or was already revoked. */
  revokeApiKey(apiKey: string, at: string): Promise<boolean>;

  createJob(job: JobRecord): Promise<void>;
  /** With `projectId`, a job of another project is null. */
  getJob(id: string, projectId?: string): Promise<JobRecord | null>;
  /** Newest first. */
  listJobs(projectId: string, query: PageQuery & { status?: JobStatus }): Promise<Page<JobRecord>>;
  /**
   * Compare-and-set: moves the job to `to` (appending to statusHistory) only if its status is one of `from`.
   * Returns the updated record, or null when the job is missing or in another status (someone else won).
   */
  transitionJob(id: string, from: readonly JobStatus[], to: JobStatus, patch?: JobPatch): Promise<JobRecord | null>;
  /** Records progress of an `in-progress` job (no-op in any other status). */
  setJobProgress(id: string, progress: number): Promise<void>;
  /**
   * Atomically: `in-progress` → `success` with the output asset inserted and listed in metadata.assetIds.
   * Null (and nothing inserted) if the job is no longer in progress (canceled meanwhile, or done by another worker).
   */
  completeJob(id: string, asset: AssetRecord, output?: Record<string, unknown>): Promise<JobRecord | null>;
  countJobsByStatus(): Promise<Record<JobStatus, number>>;
  /** Number of jobs of this project in `queued` or `in-progress` (for per-key queue limits). */
  countActiveJobs(projectId: string): Promise<number>;

  createAsset(asset: AssetRecord): Promise<void>;
  getAsset(id: string, projectId?: string): Promise<AssetRecord | null>;
  listAssets(projectId: string, query: PageQuery): Promise<Page<AssetRecord>>;
  /** Removes the record and returns it (the caller deletes the blob). */
  deleteAsset(id: string, projectId: string): Promise<AssetRecord | null>;

  createUpload(upload: UploadRecord): Promise<void>;
  getUpload(id: string, projectId?: string): Promise<UploadRecord | null>;
  /** Compare-and-set on the upload's status; null when it was not in one of `from`. */
  transitionUpload(id: string, from: readonly UploadStatus[], to: UploadStatus,
    patch?: { entityId?: string | null; error?: string | null }): Promise<UploadRecord | null>;
  listUploadsByStatus(status: UploadStatus): Promise<UploadRecord[]>;

  close(): Promise<void>;
}

/** Bytes by opaque key (`assets/asset_…`, `uploads/upload_…/3`). `put` is atomic: a reader sees all or nothing. */
export interface BlobStore {
  put(key: string, data: Uint8Array): Promise<void>;
  /** Null when absent. */
  get(key: string): Promise<Buffer | null>;
  /** No error when absent. */
  delete(key: string): Promise<void>;
  /** Deletes every key starting with `prefix` (a folder-like prefix ending in `/`). */
  deletePrefix(prefix: string): Promise<void>;
}

export interface QueueDepth {
  queued: number;
  running: number;
}

/**
 * Dispatches trace jobs to workers. The job record is created (status `queued`) by the route, then handed to
 * `enqueue`; the queue moves it through `in-progress` to a final status with the Store's compare-and-set
 * methods and writes progress back. Cancel is a store transition made by the route followed by `abort`,
 * which stops the work if it is running here (a distributed worker sees the status change instead).
 */
export interface JobQueue {
  /** Starts dispatching; puts back jobs interrupted by a previous crash (bounded by max attempts). */
  start(): Promise<void>;
  enqueue(job: JobRecord): Promise<void>;
  /** Best effort: stop the work of a job that is no longer wanted (already marked canceled in the store). */
  abort(jobId: string): Promise<void>;
  depth(): Promise<QueueDepth>;
  /**
   * Stops taking jobs, waits up to `timeoutMs` for running ones to finish, then stops the rest and puts
   * them back in the queue for the next start.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}
