// Kaizen phases: where a control chart starts a new phase (an improvement went live), from a phase
// frame in the panel's data (the Kaizen Ops kaizen query's metric "phases", or any data source
// giving the same fields) or from dashboard annotations of kaizen deployments.
import { FieldType, type DataFrame, type Field } from '@grafana/data';

/** One phase boundary. */
export interface Phase {
  /** Where the new phase starts: the deployment (epoch ms). */
  time: number;
  /** End of the settling period left out of the new phase's limits; equal to time without one. */
  end: number;
  /** The event's name. */
  label: string;
  /** improved, worsened, no-evidence or insufficient-data, when known. */
  verdict?: string;
  /** The verdict in a sentence: "Improved: median 1h → 30m (−50%), p = 1.6e-11". */
  text?: string;
}

/** Field names of the phase frame (pkg/metrics/kaizen/phases.go; docs/kaizen.md). */
export const PHASE_FIELDS = {
  time: 'time',
  end: 'time_end',
  label: 'phase',
  verdict: 'verdict',
  text: 'verdict_text',
} as const;

/** How each verdict reads on the chart: a word, a glyph and a named colour (never colour alone). */
export const VERDICT_LOOK: Record<string, { word: string; glyph: string; color: string }> = {
  improved: { word: 'Improved', glyph: '✔', color: 'green' },
  worsened: { word: 'Worsened', glyph: '✖', color: 'red' },
  'no-evidence': { word: 'No evidence', glyph: '–', color: 'blue' },
  'insufficient-data': { word: 'Not enough data', glyph: '…', color: 'purple' },
  error: { word: 'Cannot measure', glyph: '!', color: 'orange' },
};

function field(frame: DataFrame, name: string, type: FieldType): Field | undefined {
  return frame.fields.find((f) => f.name === name && f.type === type);
}

/** A phase frame has a time field named time and a string field named phase. */
export function isPhaseFrame(frame: DataFrame): boolean {
  return Boolean(field(frame, PHASE_FIELDS.time, FieldType.time) && field(frame, PHASE_FIELDS.label, FieldType.string));
}

const str = (f: Field | undefined, i: number): string | undefined => {
  const v = f?.values[i];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** The phases of every phase frame among the panel's frames. */
export function phasesFromFrames(frames: DataFrame[]): Phase[] {
  const out: Phase[] = [];
  for (const frame of frames) {
    if (!isPhaseFrame(frame)) {
      continue;
    }
    const time = field(frame, PHASE_FIELDS.time, FieldType.time)!;
    const label = field(frame, PHASE_FIELDS.label, FieldType.string)!;
    const end = field(frame, PHASE_FIELDS.end, FieldType.time);
    const verdict = field(frame, PHASE_FIELDS.verdict, FieldType.string);
    const text = field(frame, PHASE_FIELDS.text, FieldType.string);
    for (let i = 0; i < frame.length; i++) {
      const t = Number(time.values[i]);
      if (!Number.isFinite(t)) {
        continue;
      }
      const e = Number(end?.values[i]);
      out.push({
        time: t,
        end: Number.isFinite(e) && e > t ? e : t,
        label: str(label, i) ?? 'Kaizen event',
        verdict: str(verdict, i),
        text: str(text, i),
      });
    }
  }
  return out;
}

const TITLE_PREFIX = 'Kaizen deployed: ';

/**
 * Phases from dashboard annotations: rows tagged kaizen and deployment, as the kaizen annotations
 * give them. The verdict is the tag naming one; its sentence the line of the text starting with it.
 */
export function phasesFromAnnotations(frames: DataFrame[] | undefined): Phase[] {
  const out: Phase[] = [];
  for (const frame of frames ?? []) {
    const time = frame.fields.find((f) => f.name === 'time');
    const tags = frame.fields.find((f) => f.name === 'tags');
    if (!time || !tags) {
      continue;
    }
    const end = frame.fields.find((f) => f.name === 'timeEnd');
    const title = frame.fields.find((f) => f.name === 'title');
    const text = frame.fields.find((f) => f.name === 'text');
    for (let i = 0; i < frame.length; i++) {
      const raw = tags.values[i];
      const list: string[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
      const tagSet = new Set(list.map((t) => t.trim()));
      const t = Number(time.values[i]);
      if (!tagSet.has('kaizen') || !tagSet.has('deployment') || !Number.isFinite(t)) {
        continue;
      }
      const verdict = Object.keys(VERDICT_LOOK).find((v) => tagSet.has(v));
      const lines = String(text?.values[i] ?? '').split('\n');
      const sentence = verdict ? lines.find((l) => l.startsWith(VERDICT_LOOK[verdict].word)) : undefined;
      const e = Number(end?.values[i]);
      const heading = String(title?.values[i] ?? '');
      out.push({
        time: t,
        end: Number.isFinite(e) && e > t ? e : t,
        label: heading.startsWith(TITLE_PREFIX) ? heading.slice(TITLE_PREFIX.length) : heading || 'Kaizen event',
        verdict,
        text: sentence,
      });
    }
  }
  return out;
}

/** Every phase the panel is given, oldest first; one event given both ways counts once. */
export function collectPhases(series: DataFrame[], annotations: DataFrame[] | undefined): Phase[] {
  const seen = new Set<string>();
  const out: Phase[] = [];
  for (const p of [...phasesFromFrames(series), ...phasesFromAnnotations(annotations)]) {
    const key = `${p.time} ${p.label}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The phase label drawn at a boundary: "Checkout runbook" and "✔ Improved". */
export function phaseHeadline(p: Phase): { title: string; verdict?: string; color?: string } {
  const look = p.verdict ? VERDICT_LOOK[p.verdict] : undefined;
  return { title: p.label, verdict: look ? `${look.glyph} ${look.word}` : undefined, color: look?.color };
}

/** A phase as drawn on one chart: the boundary, and the limits of the points after it. */
export interface PhaseSpan extends Phase {
  /** Index of the phase's first plotted point; undefined when the phase only marks a boundary. */
  first?: number;
  /** Points in the phase and its limits at its last point; undefined without limits of its own. */
  n?: number;
  center?: number;
  ucl?: number;
  lcl?: number;
  /** Why the phase has no limits of its own, when it has none. */
  note?: string;
}
