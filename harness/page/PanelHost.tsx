// One panel as a dashboard shows it: PanelChrome (header, padding) around the plugin's component,
// given the props Grafana passes. onOptionsChange works, so panels that persist state can be tested.
import React, { Component, useState, type ReactNode } from 'react';
import type { EventBus, FieldConfigSource, InterpolateFunction } from '@grafana/data';
import { PanelChrome } from '@grafana/ui';

import { TIME_ZONE, type PreparedPanel } from './preparePanel';

interface Props {
  index: number;
  panel: PreparedPanel;
  width: number;
  height: number;
  eventBus: EventBus;
  replaceVariables: InterpolateFunction;
}

export function PanelHost({ index, panel, width, height, eventBus, replaceVariables }: Props) {
  const { plugin, fixture } = panel;
  const [options, setOptions] = useState(panel.options);
  const [fieldConfig, setFieldConfig] = useState<FieldConfigSource>(panel.fieldConfig);
  const Panel = plugin.panel;
  if (!Panel) {
    throw new Error(`fixture panel ${index}: the module's PanelPlugin has no panel component`);
  }
  const title = fixture.title ? replaceVariables(fixture.title) : '';
  return (
    <div data-harness-panel={index} data-harness-ready={fixture.ready ?? 'canvas'} style={{ width, height }}>
      <PanelChrome
        width={width}
        height={height}
        title={title}
        description={fixture.description}
        hoverHeader={!title}
        padding={plugin.noPadding ? 'none' : 'md'}
        displayMode={fixture.transparent ? 'transparent' : 'default'}
      >
        {(innerWidth, innerHeight) => (
          <Panel
            id={index + 1}
            data={panel.data}
            timeRange={panel.data.timeRange}
            timeZone={TIME_ZONE}
            options={options}
            fieldConfig={fieldConfig}
            transparent={Boolean(fixture.transparent)}
            width={innerWidth}
            height={innerHeight}
            renderCounter={0}
            title={title}
            eventBus={eventBus}
            onOptionsChange={setOptions}
            onFieldConfigChange={setFieldConfig}
            replaceVariables={replaceVariables}
            onChangeTimeRange={() => {}}
          />
        )}
      </PanelChrome>
    </div>
  );
}

/** A render error fails the run loudly (console.error) instead of leaving a blank panel. */
export class PanelErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidCatch(error: Error) {
    console.error(`panel render failed: ${error.stack ?? error.message}`);
  }
  render() {
    return this.state.error ? <pre>{String(this.state.error.stack ?? this.state.error)}</pre> : this.props.children;
  }
}
