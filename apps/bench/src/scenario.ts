/** What every benchmark scenario looks like: a name, and a run that returns measured figures. */

export interface ScenarioOptions {
  /** `--full`: longer runs and more repetitions. Without it a scenario must stay within its short budget. */
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

/** One line of a chart: a store (or variant) and its measured points. */
export interface ChartSeries {
  name: string;
  points: Array<{ x: number; y: number }>;
}

/** A chart a scenario asks the harness to draw as `results/<id>.svg`. Both axes are logarithmic. */
export interface Chart {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
}

/** A compact table for readers (the figures stay the record): rendered in the Markdown report. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface ScenarioResult {
  figures: Figure[];
  /** Tables that say the figures at a glance, for the Markdown report. */
  tables?: Table[];
  /** Charts to draw from this scenario's measurements. */
  charts?: Chart[];
  /** Anything the scenario wants to record alongside (parameters, raw samples). */
  details?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description: string;
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}
