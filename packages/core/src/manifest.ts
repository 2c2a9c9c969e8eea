/** Building, normalising and sealing run manifests. */
import type { RegisteredComponents, RunIntegrity, RunManifest, RunStatus, SealedRunStatus } from './types.js';

export function emptyRegisteredComponents(): RegisteredComponents {
  return { actors: {}, strategies: {}, algorithms: {}, subscriptions: [], endpoints: [] };
}

/** A Running manifest with empty identity fields, for tests and defaults. */
export function newManifest(fields: Pick<RunManifest, 'runId' | 'instanceId' | 'startTsInit'> & Partial<RunManifest>): RunManifest {
  return {
    parentRunId: undefined,
    binaryHash: '',
    schemaVersion: 1,
    packageVersions: '',
    featureFlags: [],
    adapterVersions: {},
    configHash: '',
    registeredComponents: emptyRegisteredComponents(),
    seed: undefined,
    endTsInit: undefined,
    highWatermark: 0,
    status: 'Running',
    chainHead: undefined,
    ...fields,
  };
}

export function isSealed(status: RunStatus): status is SealedRunStatus {
  return status !== 'Running';
}

/** A deep copy, so callers can never mutate a backend's manifest. */
export function cloneManifest(manifest: RunManifest): RunManifest {
  const rc = manifest.registeredComponents;
  return {
    ...manifest,
    featureFlags: [...manifest.featureFlags],
    adapterVersions: { ...manifest.adapterVersions },
    registeredComponents: {
      actors: { ...rc.actors },
      strategies: { ...rc.strategies },
      algorithms: { ...rc.algorithms },
      subscriptions: [...rc.subscriptions],
      endpoints: [...rc.endpoints],
    },
    ...(manifest.integrity === undefined ? {} : { integrity: cloneIntegrity(manifest.integrity) }),
  };
}

function cloneIntegrity(integrity: RunIntegrity): RunIntegrity {
  const indexKinds: RunIntegrity['indexKinds'] = {};
  for (const [kind, commitment] of Object.entries(integrity.indexKinds)) indexKinds[kind] = { ...commitment };
  return { indexKinds, anchor: integrity.anchor };
}

/** What `openRun` stores: the caller's manifest with progress reset and status Running. */
export function normalizeForOpen(manifest: RunManifest): RunManifest {
  const copy = cloneManifest(manifest);
  copy.status = 'Running';
  copy.endTsInit = undefined;
  copy.highWatermark = 0;
  copy.chainHead = undefined;
  delete copy.integrity;
  return copy;
}

/** The sealed copy: status, hwm, and endTsInit = max tsInit only when something was committed. */
export function sealedManifest(
  manifest: RunManifest,
  status: SealedRunStatus,
  highWatermark: number,
  maxTsInit: bigint,
  chainHead: string | undefined,
  integrity?: RunIntegrity,
): RunManifest {
  const copy = cloneManifest(manifest);
  if (integrity !== undefined) copy.integrity = cloneIntegrity(integrity);
  else delete copy.integrity;
  copy.status = status;
  copy.highWatermark = highWatermark;
  copy.endTsInit = highWatermark > 0 ? maxTsInit : undefined;
  copy.chainHead = chainHead;
  return copy;
}
