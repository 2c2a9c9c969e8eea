/**
 * A sequence diagram (SVG) of one order's entries: a lifeline per component in order of first
 * appearance, and an arrow per entry from the component that sent it to the one it went to,
 * labelled with its seq and payload type; an entry a component sent itself is a small loop.
 */
import type { CorrelationJson } from './api-types.js';

const COLUMN = 150;
const ROW = 26;
const TOP = 40;

export function SequenceDiagram({ entries, onOpen }: { entries: CorrelationJson['entries']; onOpen: (seq: number) => void }) {
  const components: string[] = [];
  for (const entry of entries) for (const name of [entry.from, entry.to]) if (!components.includes(name)) components.push(name);
  const x = (name: string) => 80 + components.indexOf(name) * COLUMN;
  const height = TOP + entries.length * ROW + 20;
  return (
    <svg
      class="sequence"
      width={80 + components.length * COLUMN}
      height={height}
      data-testid="sequence-diagram"
      role="img"
      aria-label="sequence diagram of the correlated entries"
    >
      <title>Sequence diagram of the correlated entries</title>
      <defs>
        <marker id="sequence-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#333" />
        </marker>
      </defs>
      {components.map((name) => (
        <g key={name}>
          <text x={x(name)} y={20} text-anchor="middle" class="participant">
            {name}
          </text>
          <line x1={x(name)} y1={28} x2={x(name)} y2={height - 8} class="lifeline" />
        </g>
      ))}
      {entries.map((entry, index) => {
        const y = TOP + index * ROW;
        const from = x(entry.from);
        const to = x(entry.to);
        const label = `${entry.seq} ${entry.payloadType}`;
        return (
          // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; role and key handling make it one
          <g
            role="button"
            tabIndex={0}
            onKeyDown={(event) => (event.key === 'Enter' ? onOpen(entry.seq) : undefined)}
            key={entry.seq}
            class={`message relation-${entry.relation}`}
            onClick={() => onOpen(entry.seq)}
            data-testid="sequence-message"
          >
            {from === to ? (
              <path d={`M ${from} ${y - 6} h 30 v 12 h -28`} fill="none" stroke="#333" marker-end="url(#sequence-arrow)" />
            ) : (
              <line x1={from} y1={y} x2={to} y2={y} stroke="#333" marker-end="url(#sequence-arrow)" />
            )}
            <text x={from === to ? from + 36 : (from + to) / 2} y={y - 4} text-anchor={from === to ? 'start' : 'middle'} class="message-label">
              {label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
