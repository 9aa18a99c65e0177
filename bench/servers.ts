/** What the bench reports of the servers and packages it measures against. */
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

export async function redisVersion(): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 6379 });
    let text = '';
    const finish = (v: string | null) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(2000, () => finish(null));
    socket.on('error', () => finish(null));
    socket.on('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (d) => {
      text += d.toString();
      const m = /redis_version:([^\r\n]+)/.exec(text);
      if (m) finish(m[1] ?? null);
    });
  });
}

/** The server's version and whether autovacuum is on, or null when it does not answer. */
export async function postgresServer(
  pgUrl: string,
  say: (line: string) => void,
): Promise<{ version: string; autovacuum: string } | null> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const r = await client.query<{ v: string; a: string }>(
      "SELECT current_setting('server_version') AS v, current_setting('autovacuum') AS a",
    );
    const row = r.rows[0];
    return row ? { version: row.v, autovacuum: row.a } : null;
  } catch (e) {
    say(`PostgreSQL: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export function packageVersion(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
