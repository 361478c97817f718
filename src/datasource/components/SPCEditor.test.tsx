import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { KaizenQuery } from '../types';
import { DEFAULT_SOURCE, selectedRules, SPCEditor } from './SPCEditor';

function renderEditor(spc: KaizenQuery['spc']) {
  const onChange = jest.fn();
  render(<SPCEditor query={{ refId: 'A', queryType: 'spc', metric: 'chart', spc }} onChange={onChange} />);
  return onChange;
}

describe('SPCEditor', () => {
  it('gives a new spc query a source so it runs at once', () => {
    const onChange = renderEditor(undefined);
    expect(onChange).toHaveBeenCalledWith({ spc: { source: DEFAULT_SOURCE } });
  });

  it('leaves a query with a source alone and shows its fields', () => {
    const onChange = renderEditor({ source: { queryType: 'incidents', metric: 'count', bucket: '1w' } });
    expect(onChange).not.toHaveBeenCalled();
    expect((document.getElementById('kaizen-spc-source-metric') as HTMLInputElement).value).toBe('Incident count');
    expect((document.getElementById('kaizen-spc-source-bucket') as HTMLInputElement).value).toBe('1w');
    expect(document.getElementById('kaizen-spc-source-stat')).toBeNull(); // counts take no stat
    expect(document.getElementById('kaizen-spc-source-filter-service')).not.toBeNull();
  });

  it('offers rules for Shewhart charts, λ and L for EWMA, k and h for CUSUM', () => {
    renderEditor({ chart: 'xmr', source: DEFAULT_SOURCE });
    expect(document.getElementById('kaizen-spc-rules')).not.toBeNull();
    expect(document.getElementById('kaizen-spc-lambda')).toBeNull();
  });

  it('EWMA has no run rules', () => {
    renderEditor({ chart: 'ewma', source: DEFAULT_SOURCE });
    expect(document.getElementById('kaizen-spc-rules')).toBeNull();
    expect(document.getElementById('kaizen-spc-lambda')).not.toBeNull();
    expect(document.getElementById('kaizen-spc-L')).not.toBeNull();
  });

  it('p charts ask for sample sizes: a constant, or a second query', () => {
    const onChange = renderEditor({ chart: 'p', source: DEFAULT_SOURCE });
    expect(document.getElementById('kaizen-spc-n')).not.toBeNull();
    fireEvent.click(screen.getByLabelText('From a query'));
    expect(onChange).toHaveBeenCalledWith({
      spc: expect.objectContaining({
        chart: 'p',
        sizeSource: expect.objectContaining({ queryType: 'incidents', metric: 'count' }),
      }),
    });
  });

  it('sets the baseline to the first 20 points', () => {
    const onChange = renderEditor({ source: DEFAULT_SOURCE });
    fireEvent.click(screen.getByLabelText('First N'));
    expect(onChange).toHaveBeenCalledWith({ spc: { source: DEFAULT_SOURCE, baseline: { points: 20 } } });
  });

  it('commits a frozen value on blur, not per keystroke', () => {
    const onChange = renderEditor({ source: DEFAULT_SOURCE, frozen: {} });
    const center = document.getElementById('kaizen-spc-frozen-center') as HTMLInputElement;
    fireEvent.change(center, { target: { value: '3600' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(center);
    expect(onChange).toHaveBeenCalledWith({ spc: { source: DEFAULT_SOURCE, frozen: { center: 3600 } } });
  });

  it('keeps an unparsable number out of the query', () => {
    const onChange = renderEditor({ source: DEFAULT_SOURCE, baseline: { points: 20 } });
    const points = document.getElementById('kaizen-spc-baseline-points') as HTMLInputElement;
    fireEvent.change(points, { target: { value: '' } });
    fireEvent.blur(points);
    expect(onChange).toHaveBeenCalledWith({ spc: { source: DEFAULT_SOURCE, baseline: { points: undefined } } });
  });
});

describe('selectedRules', () => {
  it.each([
    [undefined, ['nelson-1', 'nelson-2', 'nelson-3', 'nelson-4', 'nelson-5', 'nelson-6', 'nelson-7', 'nelson-8']],
    [['none'], []],
    [
      ['westernelectric', 'nelson-1'],
      ['nelson-1', 'we-1', 'we-2', 'we-3', 'we-4'],
    ],
  ])('%j', (rules, want) => {
    expect(selectedRules({ rules })).toEqual(want);
  });
});
