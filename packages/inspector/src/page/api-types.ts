/** The shapes the server's JSON answers take on the page (bigints arrive as decimal strings). */

export interface ManifestJson {
  runId: string;
  instanceId: string;
  status: 'Running' | 'Ended' | 'CrashedRecovered' | 'Quarantined';
  parentRunId?: string;
  startTsInit: string;
  endTsInit?: string;
  highWatermark: number;
  chainHead?: string;
  schemaVersion: number;
  binaryHash: string;
  configHash: string;
  seed?: string;
}

export interface ListedRunJson {
  manifest: ManifestJson | { runId: string; status: 'Incomplete'; location: string };
  sizeBytes: number | null;
  hasMarkers: boolean;
}

export interface OverviewJson {
  entries: number;
  /** Entries read so far: until `complete`, the timeline shows what has been read and is asked again. */
  walked: number;
  complete: boolean;
  originNs: string;
  span: { from: number; to: number };
  lanes: string[];
  manifest: ManifestJson;
}

export interface TimelineJson {
  originNs: string;
  from: number;
  to: number;
  bucketWidth: number;
  lanes: string[];
  counts: number[][];
  total: number;
  entries: Array<{ seq: number; offset: number; lane: number; topic: string; payloadType: string }> | null;
  marks: Array<{ seq: number; offset: number; kind: string }>;
  walked: number;
  complete: boolean;
}

export interface EntryJson {
  seq: number;
  tsInit: string;
  tsPublish: string;
  topic: string;
  payloadType: string;
  headers: { correlationId: string | null; causationId: string | null };
  indexKeys: Array<{ kind: string; key: string }>;
  entryHash: string;
  payloadBytes: number;
  payload: { decoded: true; value: unknown } | { decoded: false; base64: string };
  neighbours: Array<{ seq: number; offset: number; topic: string; payloadType: string }>;
  highWatermark: number;
}

export interface CorrelationJson {
  key: string;
  truncated: boolean;
  entries: Array<{
    seq: number;
    tsInit: string;
    topic: string;
    payloadType: string;
    relation: 'carries' | 'refers';
    correlationId: string | null;
    causationId: string | null;
    causedBySeq: number | null;
    from: string;
    to: string;
  }>;
}

export interface MarkersJson {
  present: boolean;
  status?: string;
  streams: Array<{ slot: number; dataClass: string; identifier: string }>;
  cursors: Array<{ markerSeq: number; eventSeq: number; offset: number; counts: Record<string, number> }>;
  gaps: Array<{ fromMarkerSeq: number; toMarkerSeq: number; reason: string; eventSeq: number; offset: number | null }>;
  hifiCount: number;
}

export interface VerifyJson {
  verdict: 'clean' | 'corrupt' | 'error';
  findings: string[];
  highWatermark?: number;
  entriesScanned?: number;
  chainHead?: string | null;
  unchecked?: string[];
  markers?: { state: string; lines: string[] };
  error?: string;
}
