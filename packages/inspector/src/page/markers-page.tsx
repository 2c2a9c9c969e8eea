/**
 * The market-data marker sidecar over the run's timeline: each stream's delivery cursor
 * (cumulative count) against entry time, the recorded gaps (dropped markers) as dashed lines,
 * and the streams and gaps as tables.
 */

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { runApi } from './api.js';
import type { MarkersJson, OverviewJson } from './api-types.js';
import { clockOfOffset, formatOffset } from './format.js';
import { LANE_COLOURS, MARK_COLOURS } from './lane-colours.js';
import type { Route } from './routes.js';
import { ErrorBox, Loading } from './status-views.js';
import { TableHead } from './table-head.js';
import { useApi } from './use-api.js';

type MarkersRoute = Extract<Route, { page: 'markers' }>;
const NS = 1e9;

function cursorChart(target: HTMLElement, markers: MarkersJson, originNs: string): uPlot {
  const xs = markers.cursors.map((cursor) => cursor.offset / NS);
  const series = markers.streams.map((stream) => {
    let last = 0;
    return markers.cursors.map((cursor) => (last = cursor.counts[stream.slot] ?? last));
  });
  return new uPlot(
    {
      width: target.clientWidth,
      height: 260,
      scales: { x: { time: false } },
      axes: [{ values: (_u, splits) => splits.map((seconds) => clockOfOffset(originNs, seconds * NS)), space: 110 }, { size: 60 }],
      series: [
        { label: 'time', value: (_u, seconds) => (seconds === null ? '--' : clockOfOffset(originNs, seconds * NS)) },
        ...markers.streams.map((stream, index) => ({
          label: `${stream.dataClass} ${stream.identifier}`,
          stroke: LANE_COLOURS[index % LANE_COLOURS.length]!,
          points: { show: false },
        })),
      ],
      hooks: {
        draw: [
          (u) => {
            u.ctx.save();
            u.ctx.strokeStyle = MARK_COLOURS.MarkerGap!;
            u.ctx.setLineDash([4, 3]);
            for (const gap of markers.gaps) {
              if (gap.offset === null) continue;
              const x = u.valToPos(gap.offset / NS, 'x', true);
              u.ctx.beginPath();
              u.ctx.moveTo(x, u.bbox.top);
              u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
              u.ctx.stroke();
            }
            u.ctx.restore();
          },
        ],
      },
    },
    [xs, ...series],
    target,
  );
}

export function MarkersPage({ route }: { route: MarkersRoute }) {
  const base = runApi(route.instanceId, route.runId);
  const overview = useApi<OverviewJson>(`${base}/overview`);
  const loaded = useApi<MarkersJson>(`${base}/markers`);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (loaded.state !== 'ready' || overview.state !== 'ready' || !loaded.data.present || ref.current === null || loaded.data.cursors.length === 0) return;
    const chart = cursorChart(ref.current, loaded.data, overview.data.originNs);
    return () => chart.destroy();
  }, [loaded, overview]);
  if (loaded.state === 'loading' || overview.state === 'loading') return <Loading what="the marker sidecar" />;
  if (overview.state === 'failed') return <ErrorBox error={overview.error} />;
  if (loaded.state === 'failed') return <ErrorBox error={loaded.error} />;
  const markers = loaded.data;
  if (!markers.present) return <p data-testid="markers-absent">This run has no market-data marker sidecar (the kernel records one with --markers).</p>;
  const originNs = overview.data.originNs;
  const last = markers.cursors[markers.cursors.length - 1];
  return (
    <div data-testid="markers-page">
      <h1>Market-data markers</h1>
      <p>
        sidecar {markers.status}: {markers.cursors.length} cursor snapshots, {markers.hifiCount} high-fidelity markers, {markers.gaps.length} gaps
      </p>
      <div class="chart" ref={ref} data-testid="markers-chart" />
      <h2>Delivery cursors (at the last snapshot)</h2>
      <table class="entries" data-testid="markers-streams">
        <TableHead columns={['slot', 'class', 'identifier', 'records delivered']} />
        <tbody>
          {markers.streams.map((stream) => (
            <tr key={stream.slot}>
              <td>{stream.slot}</td>
              <td>{stream.dataClass}</td>
              <td>{stream.identifier}</td>
              <td class="number">{(last?.counts[stream.slot] ?? 0).toLocaleString('en')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Gaps</h2>
      {markers.gaps.length === 0 ? (
        <p>No markers were dropped.</p>
      ) : (
        <table class="entries" data-testid="markers-gaps">
          <TableHead columns={['marker seqs', 'reason', 'after entry', 'time (UTC)']} />
          <tbody>
            {markers.gaps.map((gap) => (
              <tr key={gap.fromMarkerSeq}>
                <td>
                  {gap.fromMarkerSeq}–{gap.toMarkerSeq}
                </td>
                <td>{gap.reason}</td>
                <td>{gap.eventSeq}</td>
                <td>{gap.offset === null ? '–' : formatOffset(originNs, gap.offset)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
