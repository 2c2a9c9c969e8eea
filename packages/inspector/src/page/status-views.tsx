/** What every page shows while loading and when the server reports an error (its code, then its message). */
import type { ApiError } from './api.js';

const HINTS: Record<string, string> = {
  CORRUPTED: 'The run is damaged: run the verifier on the Runs page, or `tapelog verify`.',
  RUN_NOT_SEALED: 'The run is still Running: it can be read once it is sealed (the next kernel boot recovers it).',
  RUN_NOT_FOUND: 'No such run in this store.',
};

export function ErrorBox({ error }: { error: ApiError }) {
  return (
    <div class="error" data-testid="error" role="alert">
      <strong>{error.code}</strong> {error.message}
      {HINTS[error.code] === undefined ? null : <p>{HINTS[error.code]}</p>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" data-testid="loading">
      Loading {what}…
    </p>
  );
}
