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
