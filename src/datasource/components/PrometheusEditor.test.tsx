import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { KaizenQuery } from '../types';
import { PrometheusEditor } from './PrometheusEditor';
import { SPCEditor } from './SPCEditor';

function renderEditor(prometheus?: KaizenQuery['prometheus']) {
  const onChange = jest.fn();
  const view = render(
    <PrometheusEditor query={{ refId: 'A', queryType: 'prometheus', prometheus }} onChange={onChange} />
  );
  return { onChange, view };
}

const byId = (id: string) => document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement;

describe('PrometheusEditor', () => {
  it('asks for an expression when there is none, with an example', () => {
    renderEditor();
    expect(screen.getByText('An expression is needed')).toBeInTheDocument();
    expect(byId('kaizen-prometheus-expr').placeholder).toContain('histogram_quantile(0.95');
  });

  it('commits the expression on blur, not per keystroke', () => {
    const { onChange } = renderEditor({ legendFormat: '{{service}}' });
    const expr = byId('kaizen-prometheus-expr');
    fireEvent.change(expr, { target: { value: 'up' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(expr);
    expect(onChange).toHaveBeenLastCalledWith({ prometheus: { expr: 'up', legendFormat: '{{service}}' } });
  });

  it('runs the expression on Shift+Enter', () => {
    const { onChange } = renderEditor({ expr: 'up' });
    const expr = byId('kaizen-prometheus-expr');
    fireEvent.change(expr, { target: { value: 'sum(up)' } });
    fireEvent.keyDown(expr, { key: 'Enter', shiftKey: true });
    expect(onChange).toHaveBeenLastCalledWith({ prometheus: { expr: 'sum(up)' } });
  });

  it('sets the legend and shows the labels it uses', () => {
    const { onChange } = renderEditor({ expr: 'up' });
    const legend = byId('kaizen-prometheus-legend');
    fireEvent.change(legend, { target: { value: '{{job}} / {{instance}}' } });
    expect(screen.getByText('labels: job, instance')).toBeInTheDocument();
    fireEvent.blur(legend);
    expect(onChange).toHaveBeenLastCalledWith({ prometheus: { expr: 'up', legendFormat: '{{job}} / {{instance}}' } });
  });

  it('refuses a step that is not a duration, and clears one emptied', () => {
    const { onChange } = renderEditor({ expr: 'up', step: '30s' });
    const step = byId('kaizen-prometheus-step');
    fireEvent.change(step, { target: { value: '30' } });
    fireEvent.blur(step);
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByText('"30" is not a duration: use forms such as 15s, 1m, 5m, 1h')).toBeInTheDocument();
    fireEvent.change(step, { target: { value: '' } });
    fireEvent.blur(step);
    expect(onChange).toHaveBeenLastCalledWith({ prometheus: { expr: 'up', step: undefined } });
  });

  it('follows a query changed elsewhere', () => {
    const { view } = renderEditor({ expr: 'up' });
    view.rerender(
      <PrometheusEditor
        query={{ refId: 'A', queryType: 'prometheus', prometheus: { expr: 'sum(up)' } }}
        onChange={jest.fn()}
      />
    );
    expect(byId('kaizen-prometheus-expr').value).toBe('sum(up)');
  });
});

describe('a PromQL source in the control chart editor', () => {
  it('shows the PromQL fields for a prometheus source and writes them into spc.source', () => {
    const onChange = jest.fn();
    const source = { queryType: 'prometheus' as const, metric: 'series', bucket: 'auto', prometheus: { expr: 'up' } };
    render(<SPCEditor query={{ refId: 'A', queryType: 'spc', spc: { source } }} onChange={onChange} />);
    const expr = byId('kaizen-spc-source-prometheus-expr');
    expect(expr.value).toBe('up');
    fireEvent.change(expr, { target: { value: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))' } });
    fireEvent.blur(expr);
    expect(onChange).toHaveBeenLastCalledWith({
      spc: {
        source: { ...source, prometheus: { expr: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))' } },
      },
    });
  });

  it('has no PromQL fields for other sources', () => {
    render(
      <SPCEditor
        query={{ refId: 'A', queryType: 'spc', spc: { source: { queryType: 'incidents', metric: 'mttr' } } }}
        onChange={jest.fn()}
      />
    );
    expect(byId('kaizen-spc-source-prometheus-expr')).toBeNull();
  });
});
