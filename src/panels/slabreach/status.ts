// How each status looks: a color from the theme, an icon and a word, so no status rests on color alone.
import type { GrafanaTheme2, IconName } from '@grafana/data';

import type { Status } from './model';

export interface StatusStyle {
  label: string;
  icon: IconName;
  color: string;
}

export function statusStyle(theme: GrafanaTheme2, s: Status): StatusStyle {
  switch (s) {
    case 'breached':
      return { label: 'Breached', icon: 'times-circle', color: theme.colors.error.main };
    case 'at_risk':
      return { label: 'At risk', icon: 'exclamation-triangle', color: theme.colors.warning.main };
    case 'compliant':
      return { label: 'Compliant', icon: 'check-circle', color: theme.colors.success.main };
  }
  return { label: 'No data', icon: 'question-circle', color: theme.colors.text.disabled };
}
