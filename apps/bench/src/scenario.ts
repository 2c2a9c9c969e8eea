/** What every benchmark scenario looks like: a name, and a run that returns measured figures. */

export interface ScenarioOptions {
  /** `--full`: longer runs and more repetitions. */
  full: boolean;
  /** A scratch directory for this scenario; removed afterwards. */
  scratchDir: string;
}

/** One measured figure: medians over repetitions, and ratios computed within the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** A stated target, when an issue set one: 'min' means value ≥ target, 'max' means value ≤ target. */
  target?: { value: number; kind: 'min' | 'max'; source: string };
  /** Free text: payload size, batch size, durability mode … */
  note?: string;
}

export interface ScenarioResult {
  figures: Figure[];
  /** Anything the scenario wants to record alongside (parameters, raw samples). */
  details?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description: string;
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}
