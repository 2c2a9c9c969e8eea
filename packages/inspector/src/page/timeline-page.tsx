/**
 * The timeline of one run: an overview of entries per interval over the whole run and a window
 * below it, one lane per topic family, with zoom (drag, buttons, or a clock time to jump to).
 * The server pages and aggregates; the page never loads the run. Each paint's time is kept in
 * `window.__inspectorTimings` (for the measuring script).
 */

import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { query, runApi } from './api.js';
import type { OverviewJson, TimelineJson } from './api-types.js';
import { formatDuration, formatOffset } from './format.js';
import { LANE_COLOURS, MARK_COLOURS } from './lane-colours.js';
import { type Route, routeHash } from './routes.js';
import { ErrorBox, Loading } from './status-views.js';
import { TableHead } from './table-head.js';
import { TextForm } from './text-form.js';
import { type ChartMark, lanesChart, overviewChart } from './timeline-charts.js';
import { useApi } from './use-api.js';

type TimelineRoute = Extract<Route, { page: 'timeline' }>;

declare global {
  interface Window {
    __inspectorTimings?: Array<{ what: string; ms: number; total: number }>;
  }
}

const OVERVIEW_BUCKETS = 400;
/** While the server is still reading the run, the page asks again this often (sooner before anything is read). */
const REFRESH_MS = 700;
const FIRST_REFRESH_MS = 150;
const ZOOM_FACTOR = 4;

function recordTiming(what: string, started: number, total: number): void {
  requestAnimationFrame(() => {
    window.__inspectorTimings ??= [];
    window.__inspectorTimings.push({ what, ms: performance.now() - started, total });
  });
}

/** Keeps one uPlot chart in a div, built again whenever one of `inputs` changes. */
function useChart(build: ((target: HTMLElement) => uPlot) | undefined, inputs: unknown[]): RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (build === undefined || ref.current === null) return;
    const chart = build(ref.current);
    return () => chart.destroy();
  }, inputs);
  return ref;
}

/** `HH:MM:SS[.fff…]` on the day of the run's first entry, as an offset in ns; undefined when not a time. */
function offsetOfClock(originNs: string, text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (match === null) return undefined;
  const origin = BigInt(originNs);
  const day = origin - (origin % 86_400_000_000_000n);
  const [, hours, minutes, seconds, fraction = ''] = match;
  const ns = day + BigInt((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  return Number(ns - origin);
}

function go(route: TimelineRoute, from: number, to: number): void {
  location.hash = routeHash({ ...route, from: Math.round(from), to: Math.round(Math.max(to, from + 1)) });
}

function WindowEntries({ data, route }: { data: TimelineJson; route: TimelineRoute }) {
  if (data.entries === null && data.estimated)
    return <p class="muted">About {data.total.toLocaleString('en')} entries in this window (estimated): they are listed once the run is read.</p>;
  if (data.entries === null) return <p class="muted">{data.total.toLocaleString('en')} entries in this window: zoom in to see them one by one.</p>;
  const shown = data.entries.slice(0, 100);
  return (
    <table class="entries" data-testid="window-entries">
      <TableHead columns={['seq', 'time (UTC)', 'lane', 'topic', 'payload type']} />
      <tbody>
        {shown.map((entry) => (
          <tr key={entry.seq}>
            <td>
              <a href={routeHash({ page: 'entry', instanceId: route.instanceId, runId: route.runId, seq: entry.seq })}>{entry.seq}</a>
            </td>
            <td>{formatOffset(data.originNs, entry.offset)}</td>
            <td>
              <span class="swatch" style={{ background: LANE_COLOURS[entry.lane] }} />
              {data.lanes[entry.lane]}
            </td>
            <td>{entry.topic}</td>
            <td>{entry.payloadType}</td>
          </tr>
        ))}
        {data.entries.length > shown.length ? (
          <tr>
            <td colSpan={5}>… {data.entries.length - shown.length} more: zoom in</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

export function TimelinePage({ route }: { route: TimelineRoute }) {
  const base = runApi(route.instanceId, route.runId);
  // `round` changes the paths while the run is still being read, so every answer is asked again.
  const [round, setRound] = useState(0);
  const overview = useApi<OverviewJson>(`${base}/overview${query({ round: round === 0 ? undefined : round })}`);
  const reading = overview.state === 'ready' && !overview.data.complete;
  useEffect(() => {
    if (!reading) return;
    const timer = setTimeout(() => setRound((value) => value + 1), overview.state === 'ready' && overview.data.walked === 0 ? FIRST_REFRESH_MS : REFRESH_MS);
    return () => clearTimeout(timer);
  }, [reading, round, overview]);
  // A first visit draws the whole run at once from the sample read across it, and exactly as the reading goes on.
  const drawable = overview.state === 'ready' && (overview.data.walked > 0 || overview.data.sampled > 0);
  const roundQuery = reading && round > 0 ? round : undefined;
  // Both charts are asked for with the overview, not after it: the whole run's window needs no span from the page.
  const whole = useApi<TimelineJson>(`${base}/timeline${query({ buckets: OVERVIEW_BUCKETS, round: roundQuery })}`);
  const [width, setWidth] = useState(() => Math.max(300, Math.min(2000, document.body.clientWidth - 200)));
  useEffect(() => {
    const resized = () => setWidth(Math.max(300, Math.min(2000, document.body.clientWidth - 200)));
    addEventListener('resize', resized);
    return () => removeEventListener('resize', resized);
  }, []);
  const windowPath = `${base}/timeline${query({ from: route.from, to: route.to, buckets: Math.round(width / 2), round: roundQuery })}`;
  // A paint is timed from the moment its window was asked for (a refresh while reading is not a new one).
  const started = useRef(performance.now());
  const windowKey = `${route.from}-${route.to}-${width}`;
  useEffect(() => {
    started.current = performance.now();
  }, [windowKey]);
  const painted = useRef(new Set<string>());
  const detail = useApi<TimelineJson>(windowPath);
  // Without a window in the address the server chose the whole run.
  const from = route.from ?? (detail.state === 'ready' ? detail.data.from : undefined);
  const to = route.to ?? (detail.state === 'ready' ? detail.data.to : undefined);
  const [clock, setClock] = useState('');

  const marks = (data: TimelineJson): ChartMark[] => data.marks.map((mark) => ({ offset: mark.offset, kind: mark.kind }));
  const select = (selectedFrom: number, selectedTo: number) => go(route, selectedFrom, selectedTo);
  const open = (seq: number) => {
    location.hash = routeHash({ page: 'entry', instanceId: route.instanceId, runId: route.runId, seq });
  };
  const overviewRef = useChart(
    whole.state === 'ready' && from !== undefined && to !== undefined
      ? (target) => overviewChart(target, whole.data, marks(whole.data), () => [from, to], select)
      : undefined,
    // The chart divs exist once the overview is in (the charts' answers may come first).
    [whole, from, to, width, overview.state],
  );
  const lanesRef = useChart(
    detail.state === 'ready'
      ? (target) => {
          const chart = lanesChart(target, detail.data, marks(detail.data), select, open);
          if (!painted.current.has(windowKey)) {
            painted.current.add(windowKey);
            recordTiming(route.from === undefined ? 'first paint' : 'zoom', started.current, detail.data.total);
          }
          target.dataset.ready = `${detail.data.from}-${detail.data.to}`;
          return chart;
        }
      : undefined,
    [detail, overview.state],
  );

  if (overview.state === 'loading') return <Loading what="the run" />;
  if (overview.state === 'failed') return <ErrorBox error={overview.error} />;
  if (!drawable && !overview.data.complete) return <Loading what="the run (a first visit reads it once)" />;
  const { originNs } = overview.data;
  const windowFrom = from ?? 0;
  const windowTo = to ?? 0;
  const length = Math.max(1, windowTo - windowFrom);
  const centre = (windowFrom + windowTo) / 2;
  return (
    <div data-testid="timeline-page" data-complete={String(overview.data.complete)} data-estimated={String(whole.state === 'ready' && whole.data.estimated)}>
      <h1>Timeline</h1>
      <p>
        {overview.data.entries.toLocaleString('en')} entries, {formatOffset(originNs, overview.data.span.from)} →{' '}
        {formatOffset(originNs, overview.data.span.to)} UTC
        {reading ? (
          <span class="muted" data-testid="reading">
            {' '}
            (reading the run once: {overview.data.walked.toLocaleString('en')} of {overview.data.entries.toLocaleString('en')} entries so far; until then the
            counts of the part not read yet are <strong>estimated</strong> from {overview.data.sampled.toLocaleString('en')} entries read across the run)
          </span>
        ) : null}
      </p>
      <div class="chart" ref={overviewRef} data-testid="overview-chart" />
      {whole.state === 'failed' ? <ErrorBox error={whole.error} /> : null}
      <div class="toolbar">
        <button type="button" data-testid="zoom-in" onClick={() => go(route, centre - length / ZOOM_FACTOR / 2, centre + length / ZOOM_FACTOR / 2)}>
          Zoom in
        </button>
        <button type="button" data-testid="zoom-out" onClick={() => go(route, centre - (length * ZOOM_FACTOR) / 2, centre + (length * ZOOM_FACTOR) / 2)}>
          Zoom out
        </button>
        <button type="button" onClick={() => go(route, windowFrom - length / 2, windowTo - length / 2)}>
          ◀
        </button>
        <button type="button" onClick={() => go(route, windowFrom + length / 2, windowTo + length / 2)}>
          ▶
        </button>
        <button type="button" onClick={() => go(route, overview.data.span.from, overview.data.span.to)}>
          Whole run
        </button>
        <TextForm
          testId="go-to-time"
          placeholder="HH:MM:SS.fff (UTC)"
          button="Go"
          value={clock}
          onValue={setClock}
          onSubmit={(typed) => {
            const offset = offsetOfClock(originNs, typed);
            if (offset !== undefined) go(route, offset - 500_000_000, offset + 500_000_000);
          }}
        />
        <span class="muted">
          window {formatOffset(originNs, windowFrom)} + {formatDuration(Math.round(length))}
          {detail.state === 'ready' ? `, ${detail.data.estimated ? 'about ' : ''}${detail.data.total.toLocaleString('en')} entries` : ''}
          {detail.state === 'ready' && detail.data.estimated ? (
            <span class="estimated" data-testid="estimated">
              {' '}
              estimated
            </span>
          ) : null}
        </span>
      </div>
      <div class="chart" ref={lanesRef} data-testid="lanes-chart" />
      <p class="legend">
        {Object.entries(MARK_COLOURS)
          .filter(([kind]) => kind !== 'MarkerGap')
          .map(([kind, colour]) => (
            <span key={kind}>
              <span class="swatch" style={{ background: colour }} />
              {kind}{' '}
            </span>
          ))}
        drag across a chart to zoom; click an entry tick to open it
      </p>
      {detail.state === 'loading' ? <Loading what="the window" /> : null}
      {detail.state === 'failed' ? <ErrorBox error={detail.error} /> : null}
      {detail.state === 'ready' ? <WindowEntries data={detail.data} route={route} /> : null}
    </div>
  );
}
