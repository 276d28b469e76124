/**
 * The PostgreSQL schema, as versioned migrations. Entry i brings the schema from version i to i+1; append only,
 * never edit a released one. `migrate` runs the missing ones, each in its own transaction, under an advisory
 * lock so that several API nodes and workers starting at once apply each migration exactly once.
 */
import type pg from 'pg';

export const MIGRATIONS: readonly { name: string; sql: string }[] = [
  {
    name: 'initial schema: projects, keys, jobs, assets, uploads, blobs, settings',
    sql: `
    CREATE TABLE projects (
      id text PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE TABLE api_keys (
      api_key text PRIMARY KEY,
      project_id text NOT NULL REFERENCES projects(id),
      name text NOT NULL,
      secret_hash text NOT NULL,
      created_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE TABLE jobs (
      seq bigserial PRIMARY KEY,
      id text NOT NULL UNIQUE,
      project_id text NOT NULL,
      author_id text NOT NULL,
      job_type text NOT NULL,
      status text NOT NULL,
      progress double precision NOT NULL DEFAULT 0,
      attempts integer NOT NULL DEFAULT 0,
      metadata jsonb NOT NULL,
      status_history jsonb NOT NULL,
      error text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX jobs_by_project ON jobs (project_id, seq);
    CREATE INDEX jobs_by_project_status ON jobs (project_id, status, seq);
    CREATE INDEX jobs_by_status ON jobs (status, job_type, seq);
    CREATE TABLE assets (
      seq bigserial PRIMARY KEY,
      id text NOT NULL UNIQUE,
      project_id text NOT NULL,
      author_id text NOT NULL,
      name text NOT NULL,
      mime_type text NOT NULL,
      kind text NOT NULL,
      blob_key text NOT NULL,
      size bigint NOT NULL,
      width integer,
      height integer,
      metadata jsonb NOT NULL,
      -- The trace job this asset is the output of: at most one output per job, whatever the retries.
      output_of_job text,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX assets_by_project ON assets (project_id, seq);
    CREATE UNIQUE INDEX assets_one_output_per_job ON assets (output_of_job) WHERE output_of_job IS NOT NULL;
    CREATE TABLE uploads (
      id text PRIMARY KEY,
      project_id text NOT NULL,
      author_id text NOT NULL,
      job_id text NOT NULL,
      file_name text NOT NULL,
      file_size bigint NOT NULL,
      content_type text NOT NULL,
      kind text NOT NULL,
      parts_count integer NOT NULL,
      status text NOT NULL,
      entity_id text,
      error text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX uploads_by_status ON uploads (status);
    CREATE TABLE blobs (
      key text PRIMARY KEY COLLATE "C",
      data bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE settings (
      name text PRIMARY KEY,
      value text NOT NULL
    );
    `,
  },
];

export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Any number fits: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_214_031_337;

export interface MigrateResult {
  from: number;
  to: number;
  applied: string[];
}

/** Brings the database to the latest schema. Safe to run concurrently and repeatedly (a no-op when current). */
export async function migrate(pool: pg.Pool): Promise<MigrateResult> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      const from = rows[0]?.v ?? 0;
      if (from > MIGRATIONS.length) {
        throw new Error(`the database has schema version ${from}, newer than this program's ${MIGRATIONS.length}: upgrade vtracer`);
      }
      const applied: string[] = [];
      for (let v = from; v < MIGRATIONS.length; v++) {
        const m = MIGRATIONS[v]!;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [v + 1, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
        applied.push(`${v + 1}: ${m.name}`);
      }
      return { from, to: MIGRATIONS.length, applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** The schema version of the database (0 when never migrated). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!rows[0]?.t) return 0;
  const r = await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return r.rows[0]?.v ?? 0;
}
