/** Graphile Worker on PostgreSQL, at its defaults and tuned as its performance page advises. */
import { Logger, makeWorkerUtils, run as runGraphile, runMigrations } from 'graphile-worker';
import { analyzeSchema, countRows, dropSchema, pgUrl } from '../pg-schema.ts';
import { isPayload, QUEUE, type Subject, type Variant } from '../subjects.ts';

const quiet = new Logger(() => () => {});

export function graphile(schema: string, variant: Variant): Subject {
  const tuned = variant === 'tuned';
  const connectionString = pgUrl();
  return {
    async prepare() {
      await runMigrations({ connectionString, schema, logger: quiet });
    },
    async producer() {
      const utils = await makeWorkerUtils({ connectionString, schema, logger: quiet });
      return {
        addMany: async (payloads) => {
          await utils.addJobs(payloads.map((payload) => ({ identifier: QUEUE, payload })));
        },
        add: async (payload) => {
          await utils.addJob(QUEUE, payload);
        },
        close: async () => {
          await utils.release();
        },
      };
    },
    async consume(concurrency, handler) {
      const runner = await runGraphile({
        connectionString,
        schema,
        concurrency,
        noHandleSignals: true,
        logger: quiet,
        taskList: {
          [QUEUE]: async (payload) => {
            if (isPayload(payload)) handler(payload);
          },
        },
        // Its performance page: a local queue to fetch jobs in batches, completions batched,
        // and a pool large enough for every concurrent job.
        ...(tuned
          ? {
              maxPoolSize: Math.max(10, concurrency + 2),
              preset: {
                worker: {
                  localQueue: { size: Math.max(concurrency + 1, 500) },
                  completeJobBatchDelay: 0,
                  failJobBatchDelay: 0,
                },
              },
            }
          : {}),
      });
      return { stop: () => runner.stop() };
    },
    unsettled: () => countRows(`SELECT count(*) AS n FROM "${schema}"._private_jobs`),
    analyze: () => analyzeSchema(schema),
    drop: () => dropSchema(schema),
  };
}
