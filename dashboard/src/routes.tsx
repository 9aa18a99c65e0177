/**
 * Which page each address shows. Each page is its own chunk, loaded when first shown: the
 * overview's chart library and the pipeline graph's layout library are not in the first
 * download of a page that does not need them.
 */
import { type ComponentType, lazy } from 'react';

type Loader = () => Promise<Record<string, ComponentType>>;

const LOADERS = {
  overview: () => import('./pages/overview.tsx'),
  tasks: () => import('./pages/tasks.tsx'),
  task: () => import('./pages/task-detail.tsx'),
  submit: () => import('./pages/submit.tsx'),
  queues: () => import('./pages/queues.tsx'),
  workers: () => import('./pages/workers.tsx'),
  schedules: () => import('./pages/schedules.tsx'),
  pipelines: () => import('./pages/pipelines.tsx'),
  run: () => import('./pages/pipeline-run.tsx'),
} satisfies Record<string, Loader>;

const page = (load: Loader, name: string) =>
  lazy(async () => {
    const component = (await load())[name];
    if (component === undefined) throw new Error(`page module has no ${name}`);
    return { default: component };
  });

export const ROUTES: readonly (readonly [string, ComponentType])[] = [
  ['/', page(LOADERS.overview, 'Overview')],
  ['/tasks', page(LOADERS.tasks, 'Tasks')],
  ['/tasks/:id', page(LOADERS.task, 'TaskDetail')],
  ['/submit', page(LOADERS.submit, 'Submit')],
  ['/submit/:type', page(LOADERS.submit, 'Submit')],
  ['/queues', page(LOADERS.queues, 'Queues')],
  ['/workers', page(LOADERS.workers, 'Workers')],
  ['/schedules', page(LOADERS.schedules, 'Schedules')],
  ['/pipelines', page(LOADERS.pipelines, 'Pipelines')],
  ['/pipelines/runs/:id', page(LOADERS.run, 'PipelineRunPage')],
];

/**
 * Start downloading the page an address shows, before the app knows it may show it (while it
 * asks the server what the token may do): the two waits overlap instead of adding up.
 */
export function preloadPage(path: string): void {
  const [first = '', second] = path.split('/').filter(Boolean);
  const load =
    first === ''
      ? LOADERS.overview
      : first === 'tasks'
        ? second
          ? LOADERS.task
          : LOADERS.tasks
        : first === 'pipelines' && second === 'runs'
          ? LOADERS.run
          : (LOADERS as Record<string, Loader>)[first];
  // A failed download shows when the page itself is rendered; here it is only a head start.
  load?.().catch(() => undefined);
}
