/**
 * `taskmill workers` shows what execution units declare (seed 002): their id, unit type,
 * endpoint and latest metadata, in the table and in full with --json; a fleet of plain workers
 * keeps its table as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMetadata } from '../../src/cli/commands/workers.ts';
import { createTaskmill } from '../../src/index.ts';
import { unitTasks } from '../fixtures/unit-tasks.ts';
import { type CliResult, makeSandbox, runCli, type Sandbox } from './helpers.ts';

describe('taskmill workers with execution units', () => {
  let box: Sandbox;
  const cli = (...args: string[]): Promise<CliResult> =>
    runCli([...args, '--database', box.database], { cwd: box.dir });

  beforeAll(async () => {
    box = makeSandbox();
    const mill = await createTaskmill({ database: box.database, tasks: unitTasks });
    const remote = mill.remoteWorkers();
    const me = await remote.register({
      id: 'worker-001',
      unitType: 'DATA_PROCESSING',
      unitName: 'data unit',
      capacity: 5,
      endpoint: 'http://worker-001:8080',
    });
    await remote.heartbeat(me.workerId, {
      currentLoad: 2,
      metadata: { cpuUsage: 45.2, memoryUsage: 67.8 },
    });
    await remote.close();
    await mill.close();
  });

  afterAll(() => box.cleanup());

  it('lists unit type, endpoint and metadata, in the table and with --json', async () => {
    const json = JSON.parse((await cli('workers', '--json')).stdout);
    expect(json.workers).toEqual([
      expect.objectContaining({
        id: 'worker-001',
        name: 'data unit',
        load: 2,
        concurrency: 5,
        unitType: 'DATA_PROCESSING',
        endpoint: 'http://worker-001:8080',
        metadata: { cpuUsage: 45.2, memoryUsage: 67.8 },
      }),
    ]);
    const text = (await cli('workers')).stdout;
    expect(text).toMatch(/^NAME\s+STATE\s+LOAD.*TYPES\s+ID\s+UNIT TYPE\s+ENDPOINT\s+METADATA$/m);
    expect(text).toMatch(
      /data unit\s+online\s+2\/5.*worker-001\s+DATA_PROCESSING\s+http:\/\/worker-001:8080\s+cpuUsage=45\.2 memoryUsage=67\.8/,
    );
  });

  it('cuts long metadata in the table', () => {
    expect(formatMetadata(null)).toBe('-');
    expect(formatMetadata({ a: 'x', b: [1, 2] })).toBe('a=x b=[1,2]');
    const long = formatMetadata({ note: 'y'.repeat(100) });
    expect(long).toHaveLength(48);
    expect(long.endsWith('…')).toBe(true);
  });
});
