/** One printed line per figure while the harness runs, with the target verdict when there is one. */
import { formatValue } from './format-value.js';
import type { Figure } from './scenario.js';
import { describeTarget, targetVerdict } from './target.js';

export function formatFigureLine(figure: Figure): string {
  let line = `  ${figure.name.padEnd(58)} ${formatValue(figure.value).padStart(14)} ${figure.unit}`;
  const verdict = targetVerdict(figure);
  if (verdict !== undefined && figure.target !== undefined)
    line += `   target ${describeTarget(figure)} (${figure.target.source}): ${verdict === 'met' ? 'met' : 'NOT met'}`;
  if (figure.note) line += `   [${figure.note}]`;
  return line;
}
