/**
 * The one error a failed `kernel run` ends with: which phase failed, which run was open, and what
 * became of it (sealed, or no run opened), so the command can print one line and exit.
 */

export const KERNEL_PHASES = ['boot', 'restore', 'open', 'trading', 'stop', 'seal', 'verify'] as const;
export type KernelPhase = (typeof KERNEL_PHASES)[number];

export class KernelRunError extends Error {
  readonly phase: KernelPhase;
  readonly runId: string | undefined;
  /** What happened to the run: "no run was opened", "run X sealed Ended", … */
  readonly disposition: string;

  constructor(phase: KernelPhase, runId: string | undefined, disposition: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${phase} failed${runId === undefined ? '' : ` in run ${runId}`}: ${reason.replaceAll('\n', ' ')}; ${disposition}`, { cause });
    this.name = 'KernelRunError';
    this.phase = phase;
    this.runId = runId;
    this.disposition = disposition;
  }
}

/** Thrown where a test asks a phase to fail (`KERNEL_TEST_FAIL_PHASE`), never otherwise. */
export class InjectedFault extends Error {
  constructor(phase: KernelPhase) {
    super(`injected fault in ${phase}`);
    this.name = 'InjectedFault';
  }
}
