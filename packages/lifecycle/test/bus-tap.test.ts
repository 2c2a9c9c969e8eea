import { decodeMsgpackPayload } from '@tapelog/capture';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';
import { bootAndOpen, durable, readRun } from './fixtures/boot.js';
import { OrderFilled, Quote, QuotesResponse, SubmitOrder, SubscribeQuotes, TimeEvent, TradingCommand, testUuid } from './fixtures/messages.js';

async function captured(act: (booted: Awaited<ReturnType<typeof bootAndOpen>>) => void, expectedHwm: number) {
  const baseDir = temporaryDirectory('tapelog-lifecycle-');
  const booted = await bootAndOpen({ baseDir });
  act(booted);
  await durable(booted, expectedHwm);
  const runId = booted.lifecycle.runId!;
  const store = booted.lifecycle.writer!;
  expect(store.highWatermark).toBe(expectedHwm);
  await booted.lifecycle.seal();
  const run = await readRun(baseDir, runId);
  return { ...run, booted, baseDir, runId };
}

describe('the bus tap installed by open', () => {
  test('a command sent to an endpoint is captured at seq 2 with its topic, headers and index key', async () => {
    const order = new SubmitOrder(testUuid(), 'O-1', testUuid(), 5n);
    const { entries } = await captured((booted) => booted.bus.send('RiskEngine.execute', order), 2);
    const entry = entries[1]!;
    expect([entry.seq, entry.payloadType, entry.topic]).toEqual([2, 'SubmitOrder', 'RiskEngine.execute']);
    expect(entry.headers.correlationId).toBe(order.correlationId);
    expect(decodeMsgpackPayload(entry.payload)).toMatchObject({ clientOrderId: 'O-1', quantity: 5n });
  });

  test('an envelope is stored under the inner command payload type; the same command hopping endpoints is captured once', async () => {
    const order = new SubmitOrder(testUuid(), 'O-2', testUuid(), 1n);
    const { entries } = await captured((booted) => {
      booted.bus.send('RiskEngine.execute', new TradingCommand(order));
      booted.bus.send('ExecEngine.execute', new TradingCommand(order));
      booted.bus.send('ExecEngine.execute', order);
    }, 2);
    expect(entries.map((entry) => entry.payloadType)).toEqual(['RunStarted', 'SubmitOrder', 'RunEnded']);
    expect(entries[1]!.topic).toBe('RiskEngine.execute');
  });

  test('order events carry client and venue order ids as index keys', async () => {
    const fill = new OrderFilled(testUuid(), 'O-3', 'V-3', 2n);
    const { baseDir, runId } = await captured((booted) => booted.bus.publish('events.order.O-3', fill), 2);
    const store = await (await import('@tapelog/backend-level')).createProvider({ baseDir }).openSealed('trader-001', runId);
    expect(await store.lookup('client_order_id', 'O-3')).toBe(2);
    expect(await store.lookup('venue_order_id', 'V-3')).toBe(2);
    await store.close();
  });

  test('data commands, responses and fired timers are captured on their topics; market data is not', async () => {
    const correlationId = testUuid();
    const { entries, booted } = await captured((booted) => {
      booted.bus.send('DataEngine.execute', new SubscribeQuotes(testUuid(), 'ETHUSDT'));
      booted.bus.publish('data.quotes.ETHUSDT', new Quote('ETHUSDT', 100n, 101n));
      booted.bus.respond(correlationId, new QuotesResponse(correlationId, 3));
      booted.bus.fireTimer(new TimeEvent(testUuid(), 'rebalance', 5n));
    }, 4);
    expect(entries.map((entry) => [entry.payloadType, entry.topic])).toEqual([
      ['RunStarted', 'run.lifecycle.RunStarted'],
      ['SubscribeCommand', 'DataEngine.execute'],
      ['QuotesResponse', 'data.response'],
      ['TimeEvent', 'clock.time_event'],
      ['RunEnded', 'run.lifecycle.RunEnded'],
    ]);
    expect(entries[2]!.headers).toEqual({ correlationId });
    expect(booted.bus.delivered.map(([topic]) => topic)).toEqual(['DataEngine.execute', 'data.quotes.ETHUSDT', correlationId, 'timer']);
  });

  test('the tap submits before any handler runs: the entry a handler submits lands after the captured one', async () => {
    const order = new SubmitOrder(testUuid(), 'O-4', testUuid(), 1n);
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir });
    const writer = booted.lifecycle.writer!;
    let handlerSeq = -1;
    const deliver = booted.bus.send.bind(booted.bus);
    booted.bus.send = (endpoint, message) => {
      deliver(endpoint, message);
      // The handler, after the bus called the tap: its own entry must come after the captured one.
      handlerSeq = writer.submit({ headers: {}, topic: 'handler.audit', payloadType: 'HandlerRan', payload: new Uint8Array(), tsInit: 1n, indexKeys: [] });
    };
    booted.bus.send('ExecEngine.execute', order);
    expect(handlerSeq).toBe(3);
    await durable(booted, 3);
    const runId = booted.lifecycle.runId!;
    await booted.lifecycle.seal();
    const { entries } = await readRun(baseDir, runId);
    expect(entries.slice(1, 3).map((entry) => entry.payloadType)).toEqual(['SubmitOrder', 'HandlerRan']);
  });
});
