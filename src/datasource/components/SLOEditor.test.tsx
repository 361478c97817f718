import React from 'react';
import { fireEvent, render } from '@testing-library/react';

import type { KaizenQuery } from '../types';
import { SLOEditor } from './SLOEditor';

function renderEditor(metric: string, slo?: KaizenQuery['slo']) {
  const onChange = jest.fn();
  render(<SLOEditor query={{ refId: 'A', queryType: 'slo', metric, slo }} onChange={onChange} />);
  return onChange;
}

describe('SLOEditor', () => {
  it('offers burn-rate windows for burn_rate and status, with the workbook windows as the default', () => {
    renderEditor('burn_rate');
    const input = document.getElementById('kaizen-slo-windows') as HTMLInputElement;
    expect(input).not.toBeNull();
    expect(input.placeholder).toBe('5m, 30m, 1h, 6h, 3d');
  });

  it('has no windows where they do not apply', () => {
    renderEditor('compliance');
    expect(document.getElementById('kaizen-slo-windows')).toBeNull();
    expect(document.getElementById('kaizen-slo-include-retired')).not.toBeNull();
  });

  it('keeps windows typed in earlier visible', () => {
    renderEditor('status', { windows: ['2h'] });
    expect(document.body.textContent).toContain('2h');
  });

  it('switches retired SLOs on', () => {
    const onChange = renderEditor('status', { windows: ['1h'] });
    const sw = document.getElementById('kaizen-slo-include-retired') as HTMLInputElement;
    fireEvent.click(sw);
    expect(onChange).toHaveBeenLastCalledWith({ slo: { windows: ['1h'], includeRetired: true } });
  });
});
