import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import type { KaizenOptions, KaizenQuery, KaizenSecureOptions } from './types';

export const plugin = new DataSourcePlugin<DataSource, KaizenQuery, KaizenOptions, KaizenSecureOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
