/** The page's calls to its server; a failure comes back as an ApiError carrying the server's stable code. */

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function decode<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(response.status === 401 ? 'UNAUTHORIZED' : 'BACKEND', text || response.statusText, response.status);
  }
  const error = (body as { error?: { code: string; message: string } }).error;
  if (!response.ok || error !== undefined) throw new ApiError(error?.code ?? 'BACKEND', error?.message ?? response.statusText, response.status);
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return decode<T>(await fetch(path, { credentials: 'same-origin' }));
}

export async function postJson<T>(path: string): Promise<T> {
  return decode<T>(await fetch(path, { method: 'POST', credentials: 'same-origin' }));
}

export function runApi(instanceId: string, runId: string): string {
  return `/api/runs/${encodeURIComponent(instanceId)}/${encodeURIComponent(runId)}`;
}

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
