import { FieldType, createDataFrame } from '@grafana/data';
import { firstValueFrom } from 'rxjs';

import { annotationSupport, eventsFromFrames } from './annotations';
import type { KaizenQuery } from './types';

const t = (iso: string) => Date.parse(iso);

/** The frame pkg/metrics/annotations returns: an incident region and a deployment point. */
const frame = createDataFrame({
  name: 'annotations',
  fields: [
    { name: 'time', type: FieldType.time, values: [t('2024-01-01T12:00:00Z'), t('2024-01-01T12:30:00Z')] },
    { name: 'timeEnd', type: FieldType.time, values: [null, t('2024-01-01T14:00:00Z')] },
    {
      name: 'title',
      type: FieldType.string,
      values: ['Deployment web 7.1 to production: caused an incident', 'Incident INC-W: Checkout page 500s'],
    },
    { name: 'text', type: FieldType.string, values: ['team edge · source api, id D4', 'severity sev2 · service web'] },
    { name: 'tags', type: FieldType.string, values: ['deployment,web,production,success,edge', ''] },
    { name: 'id', type: FieldType.string, values: ['deployment:api:D4', 'incident:api:INC-W'] },
  ],
});

describe('eventsFromFrames', () => {
  it('makes a point of a deployment and a region of an incident, splitting tags', () => {
    const [deploy, incident] = eventsFromFrames([frame]);
    expect(deploy).toEqual({
      id: 'deployment:api:D4',
      time: t('2024-01-01T12:00:00Z'),
      timeEnd: undefined,
      isRegion: false,
      title: 'Deployment web 7.1 to production: caused an incident',
      text: 'team edge · source api, id D4',
      tags: ['deployment', 'web', 'production', 'success', 'edge'],
    });
    expect(incident.isRegion).toBe(true);
    expect(incident.timeEnd! - incident.time!).toBe(90 * 60 * 1000);
    expect(incident.tags).toEqual([]);
  });

  it('skips frames without a time field and reads every frame', () => {
    const noTime = createDataFrame({ fields: [{ name: 'text', type: FieldType.string, values: ['x'] }] });
    expect(eventsFromFrames([noTime, frame, frame])).toHaveLength(4);
    expect(eventsFromFrames([])).toEqual([]);
  });

  it('is what the annotation support processes', async () => {
    const events = await firstValueFrom(
      annotationSupport.processEvents!({ name: 'k', enable: true, iconColor: 'red' }, [frame])
    );
    expect(events).toHaveLength(2);
  });
});

describe('annotationSupport', () => {
  it('defaults a new annotation query to incidents and deployments', () => {
    expect(annotationSupport.getDefaultQuery!()).toEqual({ refId: 'Anno', queryType: 'annotations', metric: 'all' });
  });

  it('pins the query type and keeps filters when preparing the query', () => {
    const target: KaizenQuery = {
      refId: 'X',
      queryType: 'incidents',
      metric: 'deployments',
      filters: { service: ['$service'] },
    };
    expect(annotationSupport.prepareQuery!({ name: 'k', enable: true, iconColor: 'red', target })).toEqual({
      refId: 'X',
      queryType: 'annotations',
      metric: 'deployments',
      filters: { service: ['$service'] },
    });
  });

  it('fills a stored annotation without a target, and replaces a metric it cannot show', () => {
    const prepared = annotationSupport.prepareAnnotation!({ name: 'Deploys', enable: true, iconColor: 'blue' });
    expect(prepared.target).toEqual({ refId: 'Anno', queryType: 'annotations', metric: 'all' });
    expect(prepared.name).toBe('Deploys');
    const odd = annotationSupport.prepareQuery!({
      name: 'k',
      enable: true,
      iconColor: 'red',
      target: { refId: 'A', metric: 'mttr' },
    });
    expect(odd?.metric).toBe('all');
  });
});
