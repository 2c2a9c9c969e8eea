/** What the server sends its verify process, and the report it gets back. */

export interface VerifyJob {
  store: string;
  instanceId: string;
  runId: string;
  copiesDirectory: string;
}

export interface VerifyResult {
  verdict: 'clean' | 'corrupt' | 'error';
  findings: string[];
  highWatermark?: number;
  entriesScanned?: number;
  chainHead?: string | null;
  unchecked?: string[];
  markers?: { state: string; lines: string[] };
  /** Why the run could not be verified, or how the verifier process ended. */
  error?: string;
}
