/** A logger for tests: keeps every error and warning it is given, in order, for assertions. */
export class CollectingLogger {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  error(message: string): void {
    this.errors.push(message);
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
}
