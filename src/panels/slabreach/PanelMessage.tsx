// Why the panel draws nothing, in words large enough to read on a wall.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

interface Props {
  text: string;
  width: number;
  height: number;
}

export function PanelMessage({ text, width, height }: Props) {
  const styles = useStyles2(getStyles);
  const fontSize = Math.round(Math.max(14, Math.min(32, Math.min(width / 30, height / 12))));
  return (
    <div className={styles.box} style={{ width, height, fontSize }} role="alert" data-testid="slabreach-message">
      <Icon name="info-circle" style={{ width: fontSize * 1.6, height: fontSize * 1.6 }} />
      <p className={styles.text}>{text}</p>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    color: theme.colors.text.secondary,
    textAlign: 'center',
    overflow: 'hidden',
  }),
  text: css({ margin: 0, maxWidth: '40em', lineHeight: 1.4 }),
});
