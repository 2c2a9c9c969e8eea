/**
 * The two uPlot charts of the timeline page. The overview shows entries per interval over the
 * whole run (drag to choose a window); the lanes chart shows the window, one row per topic
 * family: a heat strip per interval while the window is dense, one tick per entry once the server
 * sends the entries themselves (click one to open it). Both mark RunStarted, RunEnded and the
 * snapshot anchor. X values are seconds after the run's first entry.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TimelineJson } from './api-types.js';
import { clockOfOffset } from './format.js';
import { LANE_COLOURS, MARK_COLOURS } from './lane-colours.js';

const NS = 1e9;

export interface ChartMark {
  offset: number;
  kind: string;
}

function drawMarks(u: uPlot, marks: readonly ChartMark[]): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.lineWidth = 2 * devicePixelRatio;
  for (const mark of marks) {
    const x = u.valToPos(mark.offset / NS, 'x', true);
    if (x < bbox.left || x > bbox.left + bbox.width) continue;
    ctx.strokeStyle = MARK_COLOURS[mark.kind] ?? '#000';
    ctx.setLineDash(mark.kind === 'SnapshotAnchor' || mark.kind === 'MarkerGap' ? [4 * devicePixelRatio, 3 * devicePixelRatio] : []);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

function timeAxis(originNs: string): uPlot.Axis {
  return { values: (_u, splits) => splits.map((seconds) => clockOfOffset(originNs, seconds * NS)), size: 30, space: 110 };
}

function selectedRange(u: uPlot): [number, number] | undefined {
  if (u.select.width < 3) return undefined;
  return [u.posToVal(u.select.left, 'x') * NS, u.posToVal(u.select.left + u.select.width, 'x') * NS];
}

export function overviewChart(
  target: HTMLElement,
  data: TimelineJson,
  marks: readonly ChartMark[],
  window: () => [number, number],
  onSelect: (from: number, to: number) => void,
): uPlot {
  const xs = data.counts[0]!.map((_count, bucket) => (data.from + bucket * data.bucketWidth) / NS);
  const totals = xs.map((_x, bucket) => data.counts.reduce((sum, lane) => sum + lane[bucket]!, 0));
  return new uPlot(
    {
      width: target.clientWidth,
      height: 110,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: false, range: [data.from / NS, Math.max(data.to, data.from + 1) / NS] } },
      axes: [timeAxis(data.originNs), { size: 50 }],
      series: [{}, { stroke: '#2563eb', fill: 'rgba(37,99,235,0.25)', paths: uPlot.paths.bars!({ size: [1, Infinity], align: 1 }), points: { show: false } }],
      hooks: {
        draw: [
          (u) => {
            drawMarks(u, marks);
            const [from, to] = window();
            const left = u.valToPos(from / NS, 'x', true);
            const right = u.valToPos(to / NS, 'x', true);
            u.ctx.fillStyle = 'rgba(0,0,0,0.08)';
            u.ctx.fillRect(left, u.bbox.top, Math.max(2, right - left), u.bbox.height);
          },
        ],
        setSelect: [
          (u) => {
            const range = selectedRange(u);
            if (range !== undefined) onSelect(range[0], range[1]);
          },
        ],
      },
    },
    [xs, totals],
    target,
  );
}

export function lanesChart(
  target: HTMLElement,
  data: TimelineJson,
  marks: readonly ChartMark[],
  onSelect: (from: number, to: number) => void,
  onOpen: (seq: number) => void,
): uPlot {
  const laneCount = data.lanes.length;
  const max = Math.max(1, ...data.counts.flat());
  const chart = new uPlot(
    {
      width: target.clientWidth,
      height: 40 + laneCount * 34,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: false, range: [data.from / NS, Math.max(data.to, data.from + 1) / NS] }, y: { range: [laneCount - 0.5, -0.5] } },
      // The lane names are drawn in the draw hook: the axis only keeps room for them.
      axes: [timeAxis(data.originNs), { scale: 'y', size: 130, values: () => [], ticks: { show: false }, grid: { show: false } }],
      // An empty series: uPlot draws a y axis only for a scale some series uses.
      series: [{}, { scale: 'y', stroke: 'transparent', points: { show: false } }],
      hooks: {
        draw: [
          (u) => {
            const { ctx } = u;
            const rowHeight = Math.abs(u.valToPos(1, 'y', true) - u.valToPos(0, 'y', true)) * 0.7;
            ctx.save();
            ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
            ctx.textAlign = 'right';
            ctx.textBaseline = 'middle';
            data.lanes.forEach((lane, laneIndex) => {
              ctx.fillStyle = LANE_COLOURS[laneIndex] ?? '#000';
              ctx.fillText(lane, u.bbox.left - 8 * devicePixelRatio, u.valToPos(laneIndex, 'y', true));
            });
            ctx.restore();
            if (data.entries !== null) {
              for (const entry of data.entries) {
                const x = u.valToPos(entry.offset / NS, 'x', true);
                const y = u.valToPos(entry.lane, 'y', true);
                ctx.fillStyle = LANE_COLOURS[entry.lane] ?? '#000';
                ctx.fillRect(x - devicePixelRatio, y - rowHeight / 2, 2 * devicePixelRatio, rowHeight);
              }
            } else {
              data.counts.forEach((lane, laneIndex) => {
                const y = u.valToPos(laneIndex, 'y', true);
                ctx.fillStyle = LANE_COLOURS[laneIndex] ?? '#000';
                lane.forEach((count, bucket) => {
                  if (count === 0) return;
                  const left = u.valToPos((data.from + bucket * data.bucketWidth) / NS, 'x', true);
                  const right = u.valToPos((data.from + (bucket + 1) * data.bucketWidth) / NS, 'x', true);
                  ctx.globalAlpha = 0.15 + 0.85 * Math.sqrt(count / max);
                  ctx.fillRect(left, y - rowHeight / 2, Math.max(1, right - left), rowHeight);
                });
              });
              ctx.globalAlpha = 1;
            }
            drawMarks(u, marks);
          },
        ],
        setSelect: [
          (u) => {
            const range = selectedRange(u);
            if (range !== undefined) onSelect(range[0], range[1]);
          },
        ],
      },
    },
    [
      [data.from / NS, data.to / NS],
      [null, null],
    ],
    target,
  );
  chart.over.addEventListener('click', () => {
    if (data.entries === null || chart.select.width >= 3) return;
    const lane = Math.round(chart.posToVal(chart.cursor.top ?? 0, 'y'));
    const pointer = chart.cursor.left ?? 0;
    let best: { seq: number; distance: number } | undefined;
    for (const entry of data.entries) {
      if (entry.lane !== lane) continue;
      const distance = Math.abs(chart.valToPos(entry.offset / NS, 'x') - pointer);
      if (distance <= 6 && (best === undefined || distance < best.distance)) best = { seq: entry.seq, distance };
    }
    if (best !== undefined) onOpen(best.seq);
  });
  return chart;
}
