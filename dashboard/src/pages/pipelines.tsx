/**
 * Pipelines (`/pipelines`): the registered definitions, each with its steps drawn as a graph,
 * and the runs, newest first, filtered by pipeline and status (kept in the address), followed
 * live on `pipeline.*` events.
 */
import { useState } from 'react';
import { useSearchParams } from 'wouter';
import { ErrorNote } from '../components/error-note.tsx';
import { Card, Page } from '../components/page.tsx';
import { PipelineGraph } from '../components/pipeline-graph.tsx';
import { type Data, useData } from '../use-data.ts';
import { PipelineRunsTable } from './pipeline-runs-table.tsx';
import { PipelineStart } from './pipeline-start.tsx';
import { type PipelineInfo, type PipelineRunStatus, RUN_STATUSES } from './pipeline-types.ts';
import './pipelines.css';

const PAGE = 50;
/** The API's largest page: the list stays one live read up to it. */
const MOST = 1_000;

function Definition({ def }: { def: PipelineInfo }) {
  const maps = def.steps.filter((s) => s.map).length;
  return (
    <details className="pipeline-def" data-pipeline={def.name}>
      <summary>
        <strong>{def.name}</strong>{' '}
        <span className="muted">
          {def.steps.length} steps{maps > 0 ? `, ${maps} map` : ''} · {def.mode} ·{' '}
          {def.onFailure === 'failFast' ? 'fail fast' : 'continue on failure'}
        </span>
        {def.description ? <div className="pipeline-def-desc">{def.description}</div> : null}
      </summary>
      <PipelineGraph
        steps={def.steps.map((s) => ({
          id: s.name,
          task: s.concurrency === null ? s.task : `${s.task} ×${s.concurrency}`,
          map: s.map,
          status: null,
          progress: null,
          href: null,
        }))}
        edges={def.steps.flatMap((s) => s.dependsOn.map((from) => ({ from, to: s.name })))}
        label={`Steps of ${def.name}`}
      />
      <PipelineStart pipeline={def.name} />
    </details>
  );
}

type Defs = Data<PipelineInfo[]>;

function Definitions({ defs }: { defs: Defs }) {
  const { data, error } = defs;
  return (
    <Card title="Pipelines" wide>
      <ErrorNote error={error} />
      {data === undefined ? (
        <p className="muted">Loading…</p>
      ) : data.length === 0 ? (
        <p className="muted">
          No pipeline is registered on this server: pass your definitions in the tasks module (
          <code>definePipeline</code>).
        </p>
      ) : (
        <div className="pipeline-defs" data-testid="pipeline-definitions">
          {data.map((def) => (
            <Definition key={def.name} def={def} />
          ))}
        </div>
      )}
    </Card>
  );
}

function Runs({ defs }: { defs: Defs }) {
  const [params, setParams] = useSearchParams();
  const pipeline = params.get('pipeline') ?? '';
  const statusParam = params.get('status') ?? '';
  const status = (RUN_STATUSES as readonly string[]).includes(statusParam)
    ? (statusParam as PipelineRunStatus)
    : undefined;
  const [limit, setLimit] = useState(PAGE);
  const runs = useData(
    (client) =>
      client.pipelines.list({
        limit,
        ...(pipeline ? { pipeline } : {}),
        ...(status ? { status } : {}),
      }),
    [limit, pipeline, status],
    { refreshOn: ['pipeline.'], everyMs: 10_000 },
  );
  const setFilter = (key: string, value: string) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
    setLimit(PAGE);
  };
  const list = runs.data?.runs;
  return (
    <Card title="Runs" wide>
      <div className="filters">
        <div className="field">
          <label htmlFor="runs-pipeline">Pipeline</label>
          <select
            id="runs-pipeline"
            value={pipeline}
            onChange={(e) => setFilter('pipeline', e.target.value)}
          >
            <option value="">all</option>
            {(defs.data ?? []).map((d) => (
              <option key={d.name} value={d.name}>
                {d.name}
              </option>
            ))}
            {pipeline && !defs.data?.some((d) => d.name === pipeline) ? (
              <option value={pipeline}>{pipeline}</option>
            ) : null}
          </select>
        </div>
        <div className="field">
          <label htmlFor="runs-status">Status</label>
          <select
            id="runs-status"
            value={status ?? ''}
            onChange={(e) => setFilter('status', e.target.value)}
          >
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNote error={runs.error} />
      {list === undefined ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="no-runs">
          No runs{pipeline || status ? ' match these filters' : ' yet'}.
        </p>
      ) : (
        <PipelineRunsTable runs={list} />
      )}
      {runs.data?.nextCursor ? (
        <div className="pager">
          {limit < MOST ? (
            <button
              type="button"
              className="button"
              disabled={runs.loading}
              onClick={() => setLimit((n) => Math.min(MOST, n + PAGE))}
            >
              More
            </button>
          ) : (
            <span className="muted">
              The newest {MOST.toLocaleString('en')} runs; filter by pipeline or status for others.
            </span>
          )}
        </div>
      ) : null}
    </Card>
  );
}

export function Pipelines() {
  // Read once for both: the definitions change only when the server restarts.
  const defs = useData((client) => client.pipelines.definitions(), []);
  return (
    <Page title="Pipelines">
      <div className="grid">
        <Definitions defs={defs} />
        <Runs defs={defs} />
      </div>
    </Page>
  );
}
