/**
 * Some peer stores report errors after the operation that caused them has already failed: after a
 * failed append, Emmett's SQLite store can leave a statement that later emits 'error'
 * (SQLITE_BUSY) with no listener, which would end the whole benchmark process. While `run` runs,
 * such late SQLite errors are recorded instead; any other uncaught error still ends the process.
 */
export async function recordingLateStoreErrors<T>(run: () => Promise<T>): Promise<{ result: T; lateErrors: string[] }> {
  const lateErrors: string[] = [];
  const onUncaught = (error: unknown): void => {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      lateErrors.push(`${(error as Error).message.split('\n')[0]}`);
      return;
    }
    process.off('uncaughtException', onUncaught);
    throw error;
  };
  process.on('uncaughtException', onUncaught);
  try {
    return { result: await run(), lateErrors };
  } finally {
    process.off('uncaughtException', onUncaught);
  }
}
