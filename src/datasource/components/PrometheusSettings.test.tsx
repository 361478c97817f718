import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';

import type { KaizenOptions, KaizenSecureOptions } from '../types';
import { PrometheusSettings, prometheusAuth, prometheusUrlError } from './PrometheusSettings';

type Settings = DataSourceSettings<KaizenOptions, KaizenSecureOptions>;

function settings(patch: Partial<Settings> = {}): Settings {
  return { id: 1, uid: 'kz', name: 'Kaizen Ops', jsonData: {}, secureJsonFields: {}, ...patch } as Settings;
}

function renderSettings(options: Settings) {
  const onOptionsChange = jest.fn();
  render(<PrometheusSettings options={options} onOptionsChange={onOptionsChange} />);
  return onOptionsChange;
}

describe('PrometheusSettings', () => {
  it('writes the URL, timeout and scrape interval to jsonData', () => {
    const onChange = renderSettings(settings());
    fireEvent.change(document.getElementById('kaizen-prom-url')!, { target: { value: 'http://prometheus:9090' } });
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { prometheusUrl: 'http://prometheus:9090' } })
    );
    fireEvent.change(document.getElementById('kaizen-prom-timeout')!, { target: { value: '10' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { prometheusTimeout: 10 } }));
    fireEvent.change(document.getElementById('kaizen-prom-scrape')!, { target: { value: '30s' } });
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { prometheusScrapeInterval: '30s' } })
    );
  });

  it('keeps the password in secureJsonData', () => {
    const onChange = renderSettings(
      settings({ jsonData: { prometheusUrl: 'http://p:9090', prometheusUser: 'grafana' } })
    );
    fireEvent.change(document.getElementById('kaizen-prom-password')!, { target: { value: 's3cret' } });
    const saved = onChange.mock.lastCall[0] as Settings;
    expect(saved.secureJsonData).toEqual({ prometheusPassword: 's3cret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret');
  });

  it('keeps one authentication method: choosing a token drops the user and password', () => {
    const onChange = renderSettings(
      settings({
        jsonData: { prometheusUrl: 'http://p:9090', prometheusUser: 'grafana' },
        secureJsonFields: { prometheusPassword: true },
      })
    );
    fireEvent.click(screen.getByText('Bearer token'));
    const saved = onChange.mock.lastCall[0] as Settings;
    expect(saved.jsonData).toEqual({ prometheusUrl: 'http://p:9090' });
    expect(saved.secureJsonFields).toEqual({ prometheusPassword: false });
    expect(saved.secureJsonData).toEqual({ prometheusPassword: '' });
    expect(document.getElementById('kaizen-prom-token')).not.toBeNull();
    expect(document.getElementById('kaizen-prom-user')).toBeNull();
  });

  it('shows a configured token as configured, without its value', () => {
    renderSettings(
      settings({ jsonData: { prometheusUrl: 'http://p:9090' }, secureJsonFields: { prometheusToken: true } })
    );
    expect(screen.getByDisplayValue('configured')).toBeInTheDocument();
  });

  it('says what is wrong with a URL before saving', () => {
    renderSettings(settings({ jsonData: { prometheusUrl: 'prometheus:9090' } }));
    expect(screen.getByText('Use http:// or https:// and a host, such as http://prometheus:9090')).toBeInTheDocument();
  });
});

describe('prometheusAuth and prometheusUrlError', () => {
  it.each([
    [{}, {}, 'none'],
    [{ prometheusUser: 'u' }, {}, 'basic'],
    [{}, { prometheusToken: true }, 'bearer'],
  ])('%j %j → %s', (jsonData, fields, want) => {
    expect(prometheusAuth(settings({ jsonData, secureJsonFields: fields }))).toBe(want);
  });

  it.each([
    ['', undefined],
    ['http://prometheus:9090', undefined],
    ['https://prom.example/prometheus/', undefined],
    ['prometheus:9090', 'Use http:// or https:// and a host, such as http://prometheus:9090'],
    ['http://admin:pw@prometheus:9090', 'Put credentials in the authentication fields below, not in the URL'],
    ['http://prometheus:9090/api/v1', "Give the server's base URL, without /api/v1"],
  ])('%j', (url, want) => {
    expect(prometheusUrlError(url)).toBe(want);
  });
});
