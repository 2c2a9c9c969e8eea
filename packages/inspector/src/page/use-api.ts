/**
 * Loads one API path for a component, again whenever the path changes; answers to an older path
 * are dropped. The previous answer stays shown until the new one arrives (no flicker while a
 * timeline refreshes or zooms).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson } from './api.js';

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; data: T } | { state: 'failed'; error: ApiError };

export function useApi<T>(path: string | undefined): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === undefined) return;
    let current = true;
    setLoaded((previous) => (previous.state === 'ready' ? previous : { state: 'loading' }));
    getJson<T>(path).then(
      (data) => current && setLoaded({ state: 'ready', data }),
      (error: unknown) => current && setLoaded({ state: 'failed', error: error instanceof ApiError ? error : new ApiError('BACKEND', String(error), 0) }),
    );
    return () => {
      current = false;
    };
  }, [path]);
  return loaded;
}
