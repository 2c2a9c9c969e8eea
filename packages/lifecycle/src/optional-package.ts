/**
 * Loading an optional peer package (a backend or the LevelDB marker store) only when a run needs
 * it, so an application on another backend does not install LevelDB; a missing package is a
 * PACKAGE_NOT_INSTALLED error naming what to install.
 */
import { TapelogError } from '@tapelog/core';

/** Imports a package's module; tests pass one that fails as a missing package does. */
export type PackageLoader<T> = () => Promise<T>;

function isModuleNotFound(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // A package that is installed but misses one of its own dependencies names that dependency.
  return String((error as Error).message).includes(packageName);
}

/** The error for `packageName` missing when `purpose` needs it. */
export function packageNotInstalledError(packageName: string, purpose: string, cause?: unknown): TapelogError {
  return new TapelogError(
    'PACKAGE_NOT_INSTALLED',
    `${purpose} needs the package ${packageName}, which is not installed; install it (npm install ${packageName})`,
    {
      detail: packageName,
      cause,
    },
  );
}

/** Runs `load`; a module-not-found for `packageName` becomes PACKAGE_NOT_INSTALLED, anything else passes through. */
export async function loadOptionalPackage<T>(packageName: string, purpose: string, load: PackageLoader<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleNotFound(error, packageName)) throw packageNotInstalledError(packageName, purpose, error);
    throw error;
  }
}
