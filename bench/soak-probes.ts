/**
 * What the soak's driver reads from outside its child processes, every sample: the rows of the
 * tables retention keeps bounded, the database's size, and the database connections the children
 * hold. On PostgreSQL a connection is a row of `pg_stat_activity` whose client port is a socket of
 * one of the children (found through /proc), so other users of a shared server are not counted;
 * on SQLite it is an open descriptor of the database file in a child. Linux only (/proc).
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';

export const TABLES = ['tasks', 'executions', 'task_history', 'task_logs', 'workers'] as const;
export type TableName = (typeof TABLES)[number];

export interface Probe {
  tables: Record<TableName, number>;
  /** Database file and WAL (SQLite), or the schema's relations with their indexes (PostgreSQL). */
  dbMb: number;
  connections: number;
}

export interface Prober {
  probe(pids: readonly number[]): Promise<Probe>;
  close(): Promise<void>;
}

const COUNTS = `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`;

function fdTargets(pid: number): string[] {
  try {
    const dir = `/proc/${pid}/fd`;
    return readdirSync(dir).flatMap((fd) => {
      try {
        return [readlinkSync(`${dir}/${fd}`)];
      } catch {
        return []; // closed between the listing and the read
      }
    });
  } catch {
    return []; // the process has just exited (a restart)
  }
}

/** The local ports of a process's TCP sockets. */
export function localPorts(pid: number): number[] {
  const inodes = new Set(
    fdTargets(pid).flatMap((t) => /^socket:\[(\d+)\]$/.exec(t)?.slice(1, 2) ?? []),
  );
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      if (local && inodes.has(f[9] ?? '')) ports.push(Number.parseInt(local.split(':')[1]!, 16));
    }
  }
  return ports;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export function sqliteProber(path: string): Prober {
  const db = new DatabaseSync(path, { readOnly: true });
  const count = db.prepare(COUNTS);
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return {
    async probe(pids) {
      const row = count.get() as Record<TableName, number>;
      const connections = pids.reduce(
        (n, pid) => n + fdTargets(pid).filter((t) => t === path).length,
        0,
      );
      return {
        tables: { ...row },
        dbMb: mb(size(path) + size(`${path}-wal`)),
        connections,
      };
    },
    async close() {
      db.close();
    },
  };
}

export async function postgresProber(url: string, schema: string): Promise<Prober> {
  const client = new pg.Client({ connectionString: url, application_name: 'taskmill-soak-probe' });
  await client.connect();
  await client.query(`SET search_path = ${client.escapeIdentifier(schema)}`);
  return {
    async probe(pids) {
      const ports = pids.flatMap(localPorts);
      // One after another: a pg client runs one query at a time.
      const counts = await client.query<Record<TableName, string>>(COUNTS);
      const size = await client.query<{ bytes: string }>(
        `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind = 'r'`,
        [schema],
      );
      const conns = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE client_port = ANY($1::int[])',
        [ports],
      );
      const row = counts.rows[0]!;
      return {
        tables: Object.fromEntries(TABLES.map((t) => [t, Number(row[t])])) as Record<
          TableName,
          number
        >,
        dbMb: mb(Number(size.rows[0]?.bytes ?? 0)),
        connections: conns.rows[0]?.n ?? 0,
      };
    },
    async close() {
      await client.end();
    },
  };
}
