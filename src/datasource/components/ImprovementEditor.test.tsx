import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { KaizenQuery } from '../types';
import {
  AlertsEditor,
  BacktestEditor,
  DEFAULT_BACKTEST_SOURCE,
  NEW_CANDIDATE,
  parseSeverities,
  PostmortemsEditor,
} from './ImprovementEditor';

function input(id: string): HTMLInputElement {
  const el = document.getElementById(id) as HTMLInputElement | null;
  if (!el) {
    throw new Error(`no element #${id}`);
  }
  return el;
}

describe('PostmortemsEditor', () => {
  it('shows the severity order and the threshold for coverage', () => {
    const q: KaizenQuery = {
      refId: 'A',
      queryType: 'postmortems',
      metric: 'postmortem_coverage',
      improvement: { severities: ['P1', 'P2', 'P3'], minSeverity: 'P2', postmortemDays: 7 },
    };
    render(<PostmortemsEditor query={q} onChange={jest.fn()} />);
    expect(input('kaizen-postmortems-severities').value).toBe('P1, P2, P3');
    expect(input('kaizen-postmortems-min-severity').value).toBe('P2');
    expect(input('kaizen-postmortems-days').value).toBe('7');
    expect(document.getElementById('kaizen-postmortems-repeat-days')).toBeNull();
  });

  it('commits a new severity order on blur and drops a threshold it no longer holds', () => {
    const onChange = jest.fn();
    const q: KaizenQuery = {
      refId: 'A',
      queryType: 'postmortems',
      metric: 'postmortem_coverage',
      improvement: { minSeverity: 'sev2' },
    };
    render(<PostmortemsEditor query={q} onChange={onChange} />);
    const order = input('kaizen-postmortems-severities');
    fireEvent.change(order, { target: { value: 'critical, high ,, low' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(order);
    expect(onChange).toHaveBeenCalledWith({ improvement: { severities: ['critical', 'high', 'low'] } });
  });

  it('keeps the threshold when the new order still has it, whatever its case', () => {
    const onChange = jest.fn();
    const q: KaizenQuery = {
      refId: 'A',
      queryType: 'postmortems',
      metric: 'postmortem_coverage',
      improvement: { minSeverity: 'sev2' },
    };
    render(<PostmortemsEditor query={q} onChange={onChange} />);
    const order = input('kaizen-postmortems-severities');
    fireEvent.change(order, { target: { value: 'SEV1, SEV2' } });
    fireEvent.keyDown(order, { key: 'Enter' });
    expect(onChange).toHaveBeenCalledWith({ improvement: { severities: ['SEV1', 'SEV2'], minSeverity: 'sev2' } });
  });

  it('offers the repeat window for repeats, and only a note for action items', () => {
    const onChange = jest.fn();
    const { rerender } = render(
      <PostmortemsEditor
        query={{ refId: 'A', queryType: 'postmortems', metric: 'repeat_incidents' }}
        onChange={onChange}
      />
    );
    const days = input('kaizen-postmortems-repeat-days');
    fireEvent.change(days, { target: { value: '14' } });
    fireEvent.blur(days);
    expect(onChange).toHaveBeenCalledWith({ improvement: { repeatDays: 14 } });
    rerender(
      <PostmortemsEditor
        query={{ refId: 'A', queryType: 'postmortems', metric: 'overdue_actions' }}
        onChange={onChange}
      />
    );
    expect(document.getElementById('kaizen-postmortems-repeat-days')).toBeNull();
    expect(screen.getByText(/owner, team, service and source/)).toBeInTheDocument();
  });

  it('parses severity lists', () => {
    expect(parseSeverities(' sev1 ,sev2,, ')).toEqual(['sev1', 'sev2']);
    expect(parseSeverities(' , ')).toBeUndefined();
  });
});

describe('AlertsEditor', () => {
  it('turns per-shift buckets on and shows the shift settings', () => {
    const onChange = jest.fn();
    const q: KaizenQuery = { refId: 'A', queryType: 'alerts', metric: 'alerts', bucket: 'auto' };
    const { rerender } = render(<AlertsEditor query={q} onChange={onChange} />);
    expect(document.getElementById('kaizen-alerts-shift')).toBeNull();
    fireEvent.click(input('kaizen-alerts-per-shift'));
    expect(onChange).toHaveBeenCalledWith({ bucket: 'shift' });
    rerender(<AlertsEditor query={{ ...q, bucket: 'shift', improvement: { shift: '12h' } }} onChange={onChange} />);
    expect(input('kaizen-alerts-shift').value).toBe('12h');
    const handover = input('kaizen-alerts-handover');
    fireEvent.change(handover, { target: { value: '10:30' } });
    fireEvent.blur(handover);
    expect(onChange).toHaveBeenLastCalledWith({ improvement: { shift: '12h', handover: '10:30' } });
  });

  it('shows the windows each metric uses', () => {
    const { rerender } = render(
      <AlertsEditor query={{ refId: 'A', queryType: 'alerts', metric: 'flapping' }} onChange={jest.fn()} />
    );
    expect(document.getElementById('kaizen-alerts-flap')).not.toBeNull();
    expect(document.getElementById('kaizen-alerts-short')).toBeNull();
    rerender(<AlertsEditor query={{ refId: 'A', queryType: 'alerts', metric: 'noisy' }} onChange={jest.fn()} />);
    for (const id of ['flap', 'short', 'link', 'top']) {
      expect(document.getElementById(`kaizen-alerts-${id}`)).not.toBeNull();
    }
    expect(document.getElementById('kaizen-alerts-per-shift')).toBeNull(); // a table has no buckets
    rerender(
      <AlertsEditor query={{ refId: 'A', queryType: 'alerts', metric: 'detection_coverage' }} onChange={jest.fn()} />
    );
    expect(screen.getByText(/Detection metrics read incidents/)).toBeInTheDocument();
  });

  it('clears a window set back to empty (the default)', () => {
    const onChange = jest.fn();
    render(
      <AlertsEditor
        query={{ refId: 'A', queryType: 'alerts', metric: 'short_lived', improvement: { shortMinutes: 3 } }}
        onChange={onChange}
      />
    );
    const short = input('kaizen-alerts-short');
    fireEvent.change(short, { target: { value: '' } });
    fireEvent.blur(short);
    expect(onChange).toHaveBeenCalledWith({ improvement: {} });
  });
});

describe('BacktestEditor', () => {
  it('gives a new backtest a source, a lead and a first candidate', () => {
    const onChange = jest.fn();
    render(<BacktestEditor query={{ refId: 'A', queryType: 'backtest' }} onChange={onChange} />);
    expect(onChange).toHaveBeenCalledWith({
      improvement: { candidates: [NEW_CANDIDATE.threshold], lead: '5m', source: DEFAULT_BACKTEST_SOURCE },
    });
  });

  const query: KaizenQuery = {
    refId: 'A',
    queryType: 'backtest',
    improvement: {
      source: { queryType: 'kpi', metric: 'value', bucket: '1m' },
      lead: '5m',
      candidates: [
        { name: 'p95 > 800', type: 'threshold', op: 'above', value: 800, for: '5m' },
        { type: 'control', baseline_points: 1440, rules: ['nelson-1'] },
      ],
    },
  };

  it('shows each candidate with its own fields', () => {
    const onChange = jest.fn();
    render(<BacktestEditor query={query} onChange={onChange} />);
    expect(onChange).not.toHaveBeenCalled();
    expect(input('kaizen-backtest-0-name').value).toBe('p95 > 800');
    expect(input('kaizen-backtest-0-value').value).toBe('800');
    expect(input('kaizen-backtest-0-for').value).toBe('5m');
    expect(input('kaizen-backtest-1-baseline').value).toBe('1440');
    expect(document.getElementById('kaizen-backtest-1-value')).toBeNull();
    expect(input('kaizen-backtest-source-type').value).toBe('KPIs');
    expect(input('kaizen-backtest-lead').value).toBe('5m');
  });

  it('adds, edits and removes candidates', () => {
    const onChange = jest.fn();
    render(<BacktestEditor query={query} onChange={onChange} />);
    fireEvent.click(screen.getByText('Add candidate'));
    expect(onChange).toHaveBeenLastCalledWith({
      improvement: { ...query.improvement, candidates: [...query.improvement!.candidates!, NEW_CANDIDATE.threshold] },
    });
    const value = input('kaizen-backtest-0-value');
    fireEvent.change(value, { target: { value: '900' } });
    fireEvent.blur(value);
    expect(onChange.mock.lastCall[0].improvement.candidates[0]).toEqual({
      ...query.improvement!.candidates![0],
      value: 900,
    });
    fireEvent.click(screen.getByLabelText('Remove candidate 1'));
    expect(onChange.mock.lastCall[0].improvement.candidates).toEqual([query.improvement!.candidates![1]]);
  });

  it('switching a candidate to a burn rate keeps its name and pending period', () => {
    const onChange = jest.fn();
    render(<BacktestEditor query={query} onChange={onChange} />);
    fireEvent.click(screen.getAllByLabelText('Burn rate')[0]);
    expect(onChange.mock.lastCall[0].improvement.candidates[0]).toEqual({
      ...NEW_CANDIDATE.burn_rate,
      name: 'p95 > 800',
      for: '5m',
    });
  });
});
