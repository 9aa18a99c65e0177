// Runs one task of each type to completion on the database named by the first argument and
// prints each outcome, as a user's program would.
import { createTaskmill } from 'taskmill';
import { count, cube, square } from './tasks.js';

const mill = await createTaskmill({ database: process.argv[2], tasks: [count, square, cube] });
try {
  await mill.startWorker({ concurrency: 3 });
  const submitted = [
    await mill.submit('words.count', { text: 'to be or not' }),
    await mill.submit('math.square', { n: 7 }),
    await mill.submit('math.cube', { n: 3 }),
  ];
  for (const task of submitted) {
    const done = await mill.wait(task.id, { timeoutMs: 20_000 });
    console.log(`${done.type} ${done.status} ${JSON.stringify(done.output)}`);
  }
} finally {
  await mill.close();
}
