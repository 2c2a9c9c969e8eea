/**
 * Draws a chart as a small standalone SVG by hand: logarithmic x and y axes, one path per series
 * with a dot per point, and a legend. No chart library, so the file diffs and renders anywhere.
 */
import { formatValue } from './format-value.js';
import type { Chart } from './scenario.js';

const WIDTH = 900;
const HEIGHT = 460;
const MARGIN = { left: 90, right: 290, top: 50, bottom: 60 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Points a log axis can show: finite and positive. */
function plottable(point: { x: number; y: number }): boolean {
  return Number.isFinite(point.x) && Number.isFinite(point.y) && point.x > 0 && point.y > 0;
}

function logScale(min: number, max: number, from: number, to: number): (value: number) => number {
  const low = Math.log10(min);
  const high = Math.log10(max);
  const span = high - low || 1;
  return (value) => from + ((Math.log10(value) - low) / span) * (to - from);
}

/** Axis ticks are batch sizes and powers of ten: whole numbers with separators. */
function tickLabel(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : formatValue(value);
}

function round(value: number): string {
  return value.toFixed(1);
}

export function renderChartSvg(chart: Chart): string {
  const points = chart.series.flatMap((series) => series.points.filter(plottable));
  const xValues = [...new Set(points.map((point) => point.x))].sort((a, b) => a - b);
  const yValues = points.map((point) => point.y);
  const xMin = xValues[0] ?? 1;
  const xMax = xValues[xValues.length - 1] ?? 10;
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...yValues, 10)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...yValues, 100)));
  const plotLeft = MARGIN.left;
  const plotRight = WIDTH - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = HEIGHT - MARGIN.bottom;
  // A little room either side of the first and last batch size so their dots are not on the frame.
  const x = logScale(xMin / 1.4, xMax * 1.4, plotLeft, plotRight);
  const y = logScale(yMin, yMax, plotBottom, plotTop);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<title>${escapeXml(chart.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`);
  out.push(`<g stroke="#e0e0e0" stroke-width="1">`);
  for (let decade = yMin; decade <= yMax * 1.0001; decade *= 10)
    out.push(`<line x1="${plotLeft}" x2="${plotRight}" y1="${round(y(decade))}" y2="${round(y(decade))}"/>`);
  for (const value of xValues) out.push(`<line x1="${round(x(value))}" x2="${round(x(value))}" y1="${plotTop}" y2="${plotBottom}"/>`);
  out.push(`</g>`);
  out.push(`<rect x="${plotLeft}" y="${plotTop}" width="${plotRight - plotLeft}" height="${plotBottom - plotTop}" fill="none" stroke="#333333"/>`);
  for (let decade = yMin; decade <= yMax * 1.0001; decade *= 10) {
    out.push(`<text x="${plotLeft - 8}" y="${round(y(decade) + 4)}" text-anchor="end">${tickLabel(decade)}</text>`);
  }
  for (const value of xValues) out.push(`<text x="${round(x(value))}" y="${plotBottom + 18}" text-anchor="middle">${tickLabel(value)}</text>`);
  out.push(`<text x="${(plotLeft + plotRight) / 2}" y="${HEIGHT - 16}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  out.push(
    `<text x="20" y="${(plotTop + plotBottom) / 2}" text-anchor="middle" transform="rotate(-90 20 ${(plotTop + plotBottom) / 2})">${escapeXml(chart.yLabel)}</text>`,
  );

  chart.series.forEach((series, index) => {
    const color = COLORS[index % COLORS.length]!;
    const seriesPoints = series.points.filter(plottable).sort((a, b) => a.x - b.x);
    const d = seriesPoints.map((point, at) => `${at === 0 ? 'M' : 'L'}${round(x(point.x))},${round(y(point.y))}`).join(' ');
    out.push(`<g data-series="${escapeXml(series.name)}">`);
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const point of seriesPoints) {
      out.push(
        `<circle cx="${round(x(point.x))}" cy="${round(y(point.y))}" r="3.5" fill="${color}"><title>${escapeXml(`${series.name}: ${formatValue(point.y)} at ${formatValue(point.x)}`)}</title></circle>`,
      );
    }
    const legendY = plotTop + 10 + index * 20;
    out.push(`<line x1="${plotRight + 16}" x2="${plotRight + 40}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${plotRight + 46}" y="${legendY + 4}">${escapeXml(series.name)}</text>`);
    out.push(`</g>`);
  });
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}
