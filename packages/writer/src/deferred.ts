/** A promise with its settle functions, for replies that arrive later (anchors, close, abandon). */

export interface Pending<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Pending<T> & { promise: Promise<T> } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
