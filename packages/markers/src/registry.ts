/**
 * The extractor registry: maps a message's concrete runtime type (its class, or a string
 * `type` tag) to its extractor with one map probe, so bus dispatch never tries extractors in
 * turn and unregistered messages cost one failed lookup.
 */
import type { DataClass } from './data-class.js';
import type { DataMarkerExtractor } from './extractor.js';

/** A class constructor (matched on `message.constructor`) or a string tag (matched on `message.type`). */
export type MessageTypeKey<M> = (abstract new (...args: never[]) => M) | string;

// The registry stores extractors type-erased; `register` checks the pairing at compile time.
type AnyExtractor = DataMarkerExtractor<unknown>;

export class DataMarkerExtractorRegistry {
  readonly #byConstructor = new Map<unknown, AnyExtractor>();
  readonly #byTag = new Map<string, AnyExtractor>();

  /** Registers (or replaces) the extractor for one message type. */
  register<M>(typeKey: MessageTypeKey<M>, extractor: DataMarkerExtractor<M>): this {
    const erased = extractor as unknown as AnyExtractor;
    if (typeof typeKey === 'string') this.#byTag.set(typeKey, erased);
    else if (typeof typeKey === 'function') this.#byConstructor.set(typeKey, erased);
    else throw new TypeError('a marker extractor is registered under a class constructor or a string type tag');
    return this;
  }

  /** The extractor for `message`'s runtime type, or undefined for any other value. */
  resolve(message: unknown): AnyExtractor | undefined {
    if (typeof message !== 'object' || message === null) return undefined;
    const byConstructor = this.#byConstructor.get((message as { constructor?: unknown }).constructor);
    if (byConstructor !== undefined || this.#byTag.size === 0) return byConstructor;
    const tag = (message as { type?: unknown }).type;
    return typeof tag === 'string' ? this.#byTag.get(tag) : undefined;
  }

  /** The distinct classes with at least one registered extractor, in canonical order of first registration. */
  registeredClasses(): DataClass[] {
    const classes = new Set<DataClass>();
    for (const extractor of this.#byConstructor.values()) classes.add(extractor.dataClass);
    for (const extractor of this.#byTag.values()) classes.add(extractor.dataClass);
    return [...classes];
  }

  get size(): number {
    return this.#byConstructor.size + this.#byTag.size;
  }
}

/** How a kernel binds one message type to its extractor (see `bindMarkerType` for a checked pairing). */
export interface MarkerBinding {
  type: MessageTypeKey<unknown>;
  extractor: DataMarkerExtractor<never>;
}

/** Pairs a message type with its extractor, checking at compile time that they match. */
export function bindMarkerType<M>(type: MessageTypeKey<M>, extractor: DataMarkerExtractor<M>): MarkerBinding {
  return { type, extractor: extractor as DataMarkerExtractor<never> };
}

/** A kernel's bindings for the classes it can publish (any subset). */
export type MarkerBindings = Partial<Record<DataClass, MarkerBinding | readonly MarkerBinding[]>>;

/**
 * Registers the bindings of the enabled classes only, as upstream's default registry does;
 * a repeated class registers once. Enabled classes without a binding stay unregistered (their
 * messages are ignored); `registeredClasses()` tells a caller which ones were wired.
 */
export function buildMarkerRegistry(enabledClasses: readonly DataClass[], bindings: MarkerBindings): DataMarkerExtractorRegistry {
  const registry = new DataMarkerExtractorRegistry();
  for (const dataClass of new Set(enabledClasses)) {
    const binding = bindings[dataClass];
    if (binding === undefined) continue;
    const list = (Array.isArray(binding) ? binding : [binding]) as readonly MarkerBinding[];
    for (const { type, extractor } of list) {
      if (extractor.dataClass !== dataClass) {
        throw new TypeError(`the ${dataClass} marker binding carries an extractor for ${extractor.dataClass}`);
      }
      registry.register(type as string, extractor);
    }
  }
  return registry;
}
