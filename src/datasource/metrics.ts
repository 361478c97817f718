import type { QueryType } from './types';

/** A metric of a family, as the query editor offers it. */
export interface MetricOption {
  value: string;
  label: string;
  description: string;
  /** Whether the stat picker applies (durations), or the metric is a count. */
  hasStat: boolean;
}

/** What each family offers; kept beside the backend's definitions in pkg/metrics/<family>. */
export const FAMILY_METRICS: Record<QueryType, MetricOption[]> = {
  incidents: [
    { value: 'mttr', label: 'MTTR', description: 'Time to restore: resolved − started (start and end selectable)', hasStat: true },
    { value: 'mttd', label: 'MTTD', description: 'Time to detect: detected − started', hasStat: true },
    { value: 'mtta', label: 'MTTA', description: 'Time to acknowledge: acknowledged − detected', hasStat: true },
    { value: 'count', label: 'Incident count', description: 'Incidents that started in the bucket', hasStat: false },
    { value: 'open', label: 'Open incidents', description: 'Incidents open at the end of each bucket', hasStat: false },
  ],
};

/** Dimensions each family can group and filter by (pkg/metrics/<family> allow-lists). */
export const FAMILY_DIMENSIONS: Record<QueryType, string[]> = {
  incidents: ['service', 'team', 'severity', 'detected_by', 'source'],
};
