/** BullMQ on Redis, at its defaults and tuned as its guide to production advises. */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type Payload, QUEUE, REDIS, type Subject, type Variant } from '../subjects.ts';

export function bullmq(prefix: string, variant: Variant): Subject {
  // Its guide to production: keep a bounded number of finished jobs rather than all of them.
  const defaultJobOptions =
    variant === 'tuned' ? { removeOnComplete: 1000, removeOnFail: 5000 } : {};
  // BullMQ 6 loaded as an ES module takes a client instance; workers block on Redis, which
  // BullMQ requires to retry forever.
  const redis = () => new Redis({ ...REDIS, maxRetriesPerRequest: null });
  const queue = () => {
    const connection = redis();
    const q = new Queue<Payload>(QUEUE, { connection, prefix, defaultJobOptions });
    return {
      q,
      close: async () => {
        await q.close();
        connection.disconnect();
      },
    };
  };
  let shared: ReturnType<typeof queue> | undefined;
  return {
    async prepare() {
      const { q, close } = queue();
      await q.waitUntilReady();
      await close();
    },
    async producer() {
      const { q, close } = queue();
      return {
        addMany: async (payloads) => {
          await q.addBulk(payloads.map((data) => ({ name: QUEUE, data })));
        },
        add: async (data) => {
          await q.add(QUEUE, data);
        },
        close,
      };
    },
    async consume(concurrency, handler) {
      const connection = redis();
      const worker = new Worker<Payload>(
        QUEUE,
        async (job) => {
          handler(job.data);
        },
        { connection, prefix, concurrency },
      );
      await worker.waitUntilReady();
      return {
        stop: async () => {
          await worker.close();
          connection.disconnect();
        },
      };
    },
    async unsettled() {
      shared ??= queue();
      const counts = await shared.q.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    analyze: async () => [],
    async drop() {
      shared ??= queue();
      await shared.q.obliterate({ force: true });
      await shared.close();
    },
  };
}
