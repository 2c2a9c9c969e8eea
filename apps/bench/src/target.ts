/** Whether a figure meets the target an earlier issue stated for it. */
import { formatValue } from './format-value.js';
import type { Figure } from './scenario.js';

export type TargetVerdict = 'met' | 'not met';

/** `undefined` when the figure has no target; a figure that could not be measured (NaN) does not meet it. */
export function targetVerdict(figure: Figure): TargetVerdict | undefined {
  if (figure.target === undefined) return undefined;
  if (!Number.isFinite(figure.value)) return 'not met';
  const met = figure.target.kind === 'min' ? figure.value >= figure.target.value : figure.value <= figure.target.value;
  return met ? 'met' : 'not met';
}

/** The target as people read it: `≥ 1,000,000 hashes/s`. */
export function describeTarget(figure: Figure): string {
  if (figure.target === undefined) return '';
  return `${figure.target.kind === 'min' ? '≥' : '≤'} ${formatTargetValue(figure.target.value)} ${figure.unit}`;
}

function formatTargetValue(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : formatValue(value);
}
