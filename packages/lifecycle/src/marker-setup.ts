/**
 * Setting up the market-data marker sidecar of one run, in LevelDB beside the run under `baseDir`
 * (`@tapelog/markers-level`, an optional peer loaded only here), and bridging it to the capture
 * tap. Any failure, that package missing included, disables markers with a warning: markers never
 * block a run from opening.
 */
import { type MarkerObserver, SubmitCounter } from '@tapelog/capture';
import type { RunManifest } from '@tapelog/core';
import { type DataMarkerConfig, type MarkerRegistryFactory, openMarkerSidecarOrDisable } from '@tapelog/markers';
import type { LifecycleLogger } from './lifecycle.js';
import { loadOptionalPackage, type PackageLoader } from './optional-package.js';
import type { SessionMarkers } from './session.js';

export type { MarkerRegistryFactory };

export interface MarkerSidecarBridge extends SessionMarkers {
  observer: MarkerObserver;
  submitCounter: SubmitCounter;
}

export interface MarkerSetupInput {
  baseDir: string;
  dataMarkers: DataMarkerConfig;
  manifest: RunManifest;
  /** Entries already submitted outside the adapter (RunStarted): the counter starts there. */
  initialSubmitCount: number;
  registryFactory: MarkerRegistryFactory | undefined;
  log: LifecycleLogger;
  /** Imports `@tapelog/markers-level` (tests pass a failing one). */
  loadMarkerStore?: PackageLoader<typeof import('@tapelog/markers-level')>;
}

const loadLevelMarkerStore = () => import('@tapelog/markers-level');

export async function openMarkerSidecar(input: MarkerSetupInput): Promise<MarkerSidecarBridge | undefined> {
  const { manifest, log } = input;
  if (input.registryFactory === undefined) {
    log('warn', `tapelog: data markers are configured but no marker registry factory was given; run ${manifest.runId} opens without markers`);
    return undefined;
  }
  const submitCounter = new SubmitCounter(input.initialSubmitCount);
  const load = input.loadMarkerStore ?? loadLevelMarkerStore;
  const sidecar = await openMarkerSidecarOrDisable({
    runId: manifest.runId,
    config: input.dataMarkers,
    store: {
      kind: 'custom',
      open: async (markerManifest) => {
        const { levelMarkerStore } = await loadOptionalPackage('@tapelog/markers-level', 'data markers', load);
        return levelMarkerStore(input.baseDir, manifest.instanceId).open(markerManifest);
      },
    },
    registry: input.registryFactory,
    submitCounter,
    logger: {
      warn: (message: string) => log('warn', message),
      error: (message: string) => log('error', message),
    },
  });
  if (sidecar === undefined) return undefined;
  return {
    submitCounter,
    observer: {
      observe: (topic, message, tsInit) => sidecar.onBusEvent(topic, message, tsInit, false),
      entrySubmitted: (tsInit) => sidecar.onBusEvent('', undefined, tsInit, true),
    },
    close: async () => {
      const result = await sidecar.close();
      if (result.error) log('warn', `tapelog: closing the marker sidecar of run ${manifest.runId}: ${result.error.message}`);
    },
  };
}
