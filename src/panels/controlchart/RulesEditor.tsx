// Panel option editor for the run rules: pick rules one by one (MultiCombobox), or a whole set.
import React from 'react';
import type { StandardEditorProps } from '@grafana/data';
import { Button, MultiCombobox, Stack, type ComboboxOption } from '@grafana/ui';

import { RULE_GROUPS } from '../../lib/spc';
import { RULES, RUN_RULE_IDS } from './rules';

const OPTIONS: Array<ComboboxOption<string>> = RUN_RULE_IDS.map((id) => ({
  value: id,
  label: RULES[id].name,
  description: RULES[id].description,
}));

export function RulesEditor({ value, onChange }: StandardEditorProps<string[]>) {
  const selected = value ?? [];
  return (
    <Stack direction="column" gap={1}>
      <MultiCombobox<string>
        id="controlchart-rules"
        options={OPTIONS}
        value={selected}
        placeholder="No run rules"
        onChange={(v: Array<ComboboxOption<string>>) =>
          onChange(RUN_RULE_IDS.filter((id) => v.some((x) => x.value === id)))
        }
      />
      <Stack direction="row" gap={1}>
        <Button size="sm" variant="secondary" onClick={() => onChange([...RULE_GROUPS.nelson])}>
          Nelson 1–8
        </Button>
        <Button size="sm" variant="secondary" onClick={() => onChange([...RULE_GROUPS.westernelectric])}>
          Western Electric 1–4
        </Button>
        <Button size="sm" variant="secondary" fill="text" onClick={() => onChange([])}>
          None
        </Button>
      </Stack>
    </Stack>
  );
}
