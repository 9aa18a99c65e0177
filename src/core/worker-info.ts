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
}
