/**
 * Setting up the market-data marker sidecar for one run. Any failure disables markers with a
 * warning: markers never block a run from opening.
 */
import type { Clock, RunManifest } from '@tapelog/core';
import type { MarkerObserver, SubmitCounter } from '@tapelog/capture';
import type { DataClass } from '@tapelog/markers';
import type { DataMarkerConfig, EventStoreConfig } from './config.js';
import type { LifecycleLogger } from './lifecycle.js';
import type { SessionMarkers } from './session.js';

/** Builds the marker extractor registry for the enabled classes, in configured order. */
export type MarkerRegistryFactory = (classes: DataClass[]) => unknown;

export interface MarkerSidecar extends SessionMarkers {
  observer: MarkerObserver;
  submitCounter: SubmitCounter;
}

export interface MarkerSetupInput {
  config: EventStoreConfig;
  dataMarkers: DataMarkerConfig;
  manifest: RunManifest;
  initialSubmitCount: number;
  clock: Clock;
  registryFactory: MarkerRegistryFactory | undefined;
  log: LifecycleLogger;
}

export async function openMarkerSidecar(input: MarkerSetupInput): Promise<MarkerSidecar | undefined> {
  input.log('warn', `tapelog: data markers are not wired yet; run ${input.manifest.runId} opens without markers`);
  return undefined;
}
