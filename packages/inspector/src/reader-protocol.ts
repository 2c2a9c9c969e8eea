/**
 * The messages between the server and its reader process (over Node's IPC channel, with the
 * "advanced" serialization so bigints and typed arrays cross as they are).
 */

export interface ReaderInit {
  init: { store: string; instances: string[]; copiesDirectory: string };
}

export interface ReaderRequest {
  id: number;
  method: ReaderMethod;
  params: Record<string, unknown>;
}

export type ReaderMethod = 'instances' | 'runs' | 'overview' | 'timeline' | 'entry' | 'correlate' | 'markers';

export type ReaderReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { code: string; message: string } };

/** Sent while a run's summary is being filled in the background, so a reader that dies then is blamed on that run. */
export interface ReaderReading {
  reading: { instanceId: string; runId: string; done: boolean };
}
