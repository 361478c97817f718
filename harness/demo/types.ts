export interface DemoOptions {
  showZones: boolean;
  showLegend: boolean;
  /** Share of the series (from its start) used as the phase I baseline. */
  baselineFraction: number;
}
