/**
 * An instance's runs as a lineage graph (SVG): one node per run, oldest on the left, coloured by
 * status, and an arrow from each parent to the run that recovered or restored from it.
 */
import type { ListedRunJson } from './api-types.js';

const NODE_GAP = 170;
const NODE_RADIUS = 14;
const HEIGHT = 120;

export function LineageGraph({ runs }: { runs: ListedRunJson[] }) {
  const positions = new Map(runs.map((run, index) => [run.manifest.runId, 70 + index * NODE_GAP]));
  const width = Math.max(300, 140 + (runs.length - 1) * NODE_GAP);
  const centre = 50;
  return (
    <svg class="lineage" width={width} height={HEIGHT} data-testid="lineage-graph" role="img" aria-label="run lineage">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#555" />
        </marker>
      </defs>
      {runs.map((run) => {
        const parent = 'parentRunId' in run.manifest ? run.manifest.parentRunId : undefined;
        const from = parent === undefined ? undefined : positions.get(parent);
        const to = positions.get(run.manifest.runId)!;
        if (from === undefined) return null;
        const lift = 30 + Math.min(30, Math.abs(to - from) / 10);
        return (
          <path
            key={`link-${run.manifest.runId}`}
            class="lineage-link"
            data-testid="parent-link"
            data-parent={parent}
            data-child={run.manifest.runId}
            d={`M ${from + NODE_RADIUS} ${centre - 6} C ${from + 40} ${centre - lift}, ${to - 40} ${centre - lift}, ${to - NODE_RADIUS - 2} ${centre - 6}`}
            fill="none"
            stroke="#555"
            marker-end="url(#arrow)"
          />
        );
      })}
      {runs.map((run) => {
        const x = positions.get(run.manifest.runId)!;
        return (
          <g key={run.manifest.runId} data-testid="lineage-node" data-run={run.manifest.runId}>
            <circle cx={x} cy={centre} r={NODE_RADIUS} class={`status-${run.manifest.status}`} />
            <text x={x} y={centre + 32} text-anchor="middle" class="node-label">
              {run.manifest.runId.slice(-8)}
            </text>
            <text x={x} y={centre + 46} text-anchor="middle" class="node-status">
              {run.manifest.status}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
