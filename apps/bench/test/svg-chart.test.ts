import { describe, expect, test } from 'vitest';
import { renderChartSvg } from '../src/svg-chart.js';
import { sampleRun } from './fixtures.js';

/** Checks that every tag is closed in order and no bare `&` or `<` is left in text: enough to be well-formed here. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = match;
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  expect(svg.replace(/<[^>]*>/g, '')).not.toMatch(/&(?!amp;|lt;|gt;|quot;)|</);
}

describe('SVG chart', () => {
  const chart = sampleRun().scenarios[1]!.charts[0]!;
  const svg = renderChartSvg(chart);

  test('is one well-formed svg element', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    assertWellFormed(svg);
  });

  test('draws one path per store, with a legend entry and escaped names', () => {
    expect(svg.match(/<path /g)).toHaveLength(chart.series.length);
    expect(svg).toContain('data-series="raw &quot;classic-level&quot;"');
    expect(svg).toContain('>lmdb &amp; co</text>');
    expect(svg).toContain('<title>Throughput &lt;&amp;&gt; batch</title>');
  });

  test('skips points a log axis cannot show and labels each batch size', () => {
    // Four points for tapelog, three for classic-level (NaN skipped), two for lmdb.
    expect(svg.match(/<circle /g)).toHaveLength(9);
    for (const label of ['>1<', '>100<', '>512<', '>4,096<']) expect(svg).toContain(label);
  });
});
