/**
 * Counts the entries the capture tap submits, by the same rule the capture adapter applies: a
 * registered message, once per identity. `--crash-after` uses it to die after exactly n captured
 * entries (the writer's durable high-watermark lags behind, so it cannot tell).
 */
import type { EncoderRegistry } from '@tapelog/capture';

export class CaptureCounter {
  readonly #registry: EncoderRegistry;
  readonly #seen = new Set<string>();
  #count: number;

  /** `initial` counts entries written outside the tap (RunStarted). */
  constructor(registry: EncoderRegistry, initial = 0) {
    this.#registry = registry;
    this.#count = initial;
  }

  get count(): number {
    return this.#count;
  }

  /** Observes one dispatch; true when the tap captured it. */
  observe(message: unknown): boolean {
    if (this.#registry.encode(message) === undefined) return false;
    const identity = this.#registry.identityFor(message);
    if (identity !== undefined) {
      // Kernel duplicates always arrive within one engine cycle, well inside the adapter's window.
      if (this.#seen.has(identity)) return false;
      this.#seen.add(identity);
    }
    this.#count++;
    return true;
  }
}
