/** A registered worker as the library and the API report it. */

export interface WorkerInfo {
  id: string;
  name: string;
  host: string;
  pid: number;
  concurrency: number;
  types: string[];
  queues: string[] | null;
  version: string;
  startedAt: Date;
  lastHeartbeatAt: Date;
  load: number;
  rssBytes: number;
  state: 'online' | 'draining' | 'offline';
  /** The kind of execution unit it declared at registration (seed 002's `unitType`), or null. */
  unitType: string | null;
  /** The http(s) URL a push unit takes its tasks at; null for a worker that pulls. */
  endpoint: string | null;
  /** What its latest heartbeat reported about itself (CPU, memory…), or null. */
  metadata: Record<string, unknown> | null;
}
