import {
  type AnnotationEvent,
  type AnnotationQuery,
  type AnnotationSupport,
  type DataFrame,
  FieldType,
} from '@grafana/data';
import { of } from 'rxjs';

import { AnnotationsQueryEditor, withAnnotationDefaults } from './components/AnnotationsEditor';
import type { KaizenQuery } from './types';

/**
 * Turns the backend's annotation frame (time, timeEnd, title, text, tags, id) into
 * events. Tags arrive comma-separated; an incident's region has a timeEnd, a
 * deployment's point has none.
 */
export function eventsFromFrames(frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const field = (name: string) => frame.fields.find((f) => f.name === name);
    const time = field('time');
    if (!time || time.type !== FieldType.time) {
      continue;
    }
    const timeEnd = field('timeEnd');
    const title = field('title');
    const text = field('text');
    const tags = field('tags');
    const id = field('id');
    for (let i = 0; i < frame.length; i++) {
      const start = Number(time.values[i]);
      const end = timeEnd?.values[i] == null ? undefined : Number(timeEnd.values[i]);
      const tagText: string = tags?.values[i] ?? '';
      events.push({
        id: id?.values[i],
        time: start,
        timeEnd: end,
        isRegion: end !== undefined && end !== start,
        title: title?.values[i] ?? '',
        text: text?.values[i] ?? '',
        tags: tagText ? tagText.split(',') : [],
      });
    }
  }
  return events;
}

/** Dashboard annotations from incidents and deployments (query type "annotations"). */
export const annotationSupport: AnnotationSupport<KaizenQuery> = {
  getDefaultQuery: () => withAnnotationDefaults(undefined),
  prepareAnnotation(json: AnnotationQuery<KaizenQuery>): AnnotationQuery<KaizenQuery> {
    return { ...json, target: withAnnotationDefaults(json.target) };
  },
  prepareQuery(anno: AnnotationQuery<KaizenQuery>): KaizenQuery | undefined {
    return withAnnotationDefaults(anno.target);
  },
  processEvents: (_anno, frames) => of(eventsFromFrames(frames)),
  QueryEditor: AnnotationsQueryEditor,
};
