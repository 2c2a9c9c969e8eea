/** Child writer processes for the multi-process tests: spawn, read their progress lines, signal them. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/writer-process.mjs', import.meta.url));

export type WriterMode = 'seal' | 'hold' | 'forever';

/** One writer process and what it has printed so far. */
export class WriterProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  #waiters: Array<() => void> = [];

  constructor(url: string, schema: string, instanceId: string, runId: string, count: number, mode: WriterMode) {
    this.child = spawn(process.execPath, [FIXTURE, url, schema, instanceId, runId, String(count), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    let stderr = '';
    this.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        if (stderr.length > 0) this.lines.push(`stderr ${stderr}`);
        for (const wake of this.#waiters.splice(0)) wake();
        resolve(code);
      }),
    );
  }

  /** The largest acknowledged (durable) seq printed so far. */
  get acked(): number {
    let max = 0;
    for (const line of this.lines) if (line.startsWith('acked ')) max = Math.max(max, Number(line.slice(6)));
    return max;
  }

  /** The first line matching `predicate`; rejects when the process exits without printing one. */
  async waitFor(predicate: (line: string) => boolean, what: string): Promise<string> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      const found = this.lines.find(predicate);
      if (found !== undefined) return found;
      if (exited || this.child.exitCode !== null) throw new Error(`writer process exited before ${what}: ${this.lines.join(' | ')}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }

  /** Kills the process for good if it still runs (test cleanup). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGCONT');
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }
}
