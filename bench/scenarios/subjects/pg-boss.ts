/** pg-boss on PostgreSQL, at its defaults and tuned as its documentation advises. */
import { PgBoss } from 'pg-boss';
import { analyzeSchema, countRows, dropSchema, pgUrl } from '../pg-schema.ts';
import { isPayload, QUEUE, type Subject, type Variant } from '../subjects.ts';

export function pgBoss(schema: string, variant: Variant): Subject {
  const tuned = variant === 'tuned';
  const boss = () =>
    new PgBoss({
      connectionString: pgUrl(),
      schema,
      ...(tuned ? { useListenNotify: true } : {}),
    });
  return {
    async prepare() {
      const b = boss();
      await b.start();
      // LISTEN/NOTIFY wakes only workers of queues created with `notify`.
      await b.createQueue(QUEUE, tuned ? { notify: true } : {});
      await b.stop({ graceful: false });
    },
    async producer() {
      const b = boss();
      await b.start();
      return {
        addMany: async (payloads) => {
          await b.insert(
            QUEUE,
            payloads.map((data) => ({ data })),
          );
        },
        add: async (data) => {
          await b.send(QUEUE, data);
        },
        close: () => b.stop({ graceful: false }),
      };
    },
    async consume(concurrency, handler) {
      const b = boss();
      b.on('error', (e) => process.stderr.write(`pg-boss: ${String(e)}\n`));
      await b.start();
      const run = async (jobs: { data: unknown }[]) => {
        for (const job of jobs) if (isPayload(job.data)) handler(job.data);
      };
      if (tuned) {
        // Batches of 32 fetched in one statement and completed in one; a full batch fetches the
        // next at once. At most `concurrency` handlers run at a time, as in every other row.
        await b.work(
          QUEUE,
          {
            batchSize: 32,
            burstWhenBatchFull: true,
            localConcurrency: Math.max(1, Math.floor(concurrency / 32)),
          },
          run,
        );
      } else {
        await b.work(QUEUE, { localConcurrency: concurrency }, run);
      }
      return { stop: () => b.stop({ graceful: true, timeout: 5000 }) };
    },
    unsettled: () =>
      countRows(
        `SELECT count(*) AS n FROM "${schema}".job WHERE state::text IN ('created', 'retry', 'active')`,
      ),
    analyze: () => analyzeSchema(schema),
    drop: () => dropSchema(schema),
  };
}
