/**
 * Which payloads `replay` and `export` can show decoded: the run-lifecycle records tapelog writes
 * itself always, and with `--decode msgpack` every other payload that is valid MessagePack (what
 * the capture package's `msgpackEncoder` writes). A payload no decoder reads stays bytes only.
 */
import { decodeMsgpackPayload } from '@tapelog/capture';
import { decodeRecord, type EventStoreEntry, RUN_ENDED_PAYLOAD_TYPE, RUN_STARTED_PAYLOAD_TYPE } from '@tapelog/core';
import { type ParsedArguments, UsageError } from './command-line.js';

export type PayloadDecoder = (payload: Uint8Array) => unknown;

/** Nothing decoded: the caller shows the bytes (base64). */
export const UNDECODED = Symbol('undecoded');

const BUILT_IN: ReadonlyMap<string, PayloadDecoder> = new Map<string, PayloadDecoder>([
  [RUN_STARTED_PAYLOAD_TYPE, (payload) => decodeRecord(payload, 'RunStarted payload')],
  [RUN_ENDED_PAYLOAD_TYPE, () => null],
]);

export class PayloadDecoders {
  readonly #byType = new Map(BUILT_IN);
  #fallback: PayloadDecoder | undefined;

  /** Decodes payloads of this type with `decode`, replacing any decoder it had. */
  register(payloadType: string, decode: PayloadDecoder): this {
    this.#byType.set(payloadType, decode);
    return this;
  }

  /** Tries `decode` on payloads of every type without a decoder of its own. */
  setFallback(decode: PayloadDecoder): this {
    this.#fallback = decode;
    return this;
  }

  /** Whether payloads of this type are tried at all (a decoder of their own, or the fallback). */
  reads(payloadType: string): boolean {
    return this.#byType.has(payloadType) || this.#fallback !== undefined;
  }

  /** The decoded payload, or UNDECODED when no decoder applies or the bytes do not decode. */
  decode(entry: Pick<EventStoreEntry, 'payloadType' | 'payload'>): unknown {
    const decode = this.#byType.get(entry.payloadType) ?? this.#fallback;
    if (decode === undefined) return UNDECODED;
    try {
      return decode(entry.payload);
    } catch {
      // A payload that is not in the expected encoding is shown as bytes, not as an error:
      // forensics must be able to look at exactly the payloads that do not decode.
      return UNDECODED;
    }
  }
}

export const DECODE_KINDS = ['none', 'msgpack'] as const;
export type DecodeKind = (typeof DECODE_KINDS)[number];

/** The `--decode none|msgpack` option (default none). */
export function decodeKindOption(parsed: ParsedArguments): DecodeKind {
  const kind = parsed.options.get('decode') ?? 'none';
  if (!(DECODE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--decode is none or msgpack, got ${JSON.stringify(kind)}`);
  return kind as DecodeKind;
}

/** The decoders of a `--decode` kind (built again on a worker thread from the kind alone). */
export function payloadDecodersFor(kind: DecodeKind): PayloadDecoders {
  const decoders = new PayloadDecoders();
  if (kind === 'msgpack') decoders.setFallback(decodeMsgpackPayload);
  return decoders;
}

/** The decoders a command's `--decode none|msgpack` option (default none) asks for. */
export function decodersOption(parsed: ParsedArguments): PayloadDecoders {
  return payloadDecodersFor(decodeKindOption(parsed));
}
