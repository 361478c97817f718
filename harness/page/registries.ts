// Grafana core fills these registries at boot (public/app/core/components/OptionsUI/registry.tsx);
// without them, PanelOptionsEditorBuilder throws on addNumberInput and friends, and
// applyFieldOverrides knows no standard field options. The harness never shows editors, hence NoEditor.
import {
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldConfigProperty,
  FieldType,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  ThresholdsMode,
  valueMappingsOverrideProcessor,
  booleanOverrideProcessor,
  type FieldConfigPropertyItem,
  type StandardEditorsRegistryItem,
} from '@grafana/data';

const NoEditor = () => null;

const EDITOR_IDS = [
  'text',
  'number',
  'slider',
  'boolean',
  'radio',
  'select',
  'multi-select',
  'unit',
  'links',
  'stats-picker',
  'strings',
  'timezone',
  'fieldColor',
  'color',
  'field-name',
  'dashboard-uid',
  'mappings',
  'thresholds',
  'actions',
];

type Item = FieldConfigPropertyItem<any, any, any>;
const isNumber: Item['shouldApply'] = (f) => f.type === FieldType.number;
const always: Item['shouldApply'] = () => true;

function fieldItem(
  id: string,
  process: Item['process'],
  shouldApply: Item['shouldApply'],
  extra: Partial<Item> = {}
): Item {
  return {
    id,
    path: id,
    name: id,
    editor: NoEditor,
    override: NoEditor,
    process,
    shouldApply,
    category: ['Standard options'],
    ...extra,
  };
}

let done = false;

export function initGrafanaRegistries() {
  if (done) {
    return;
  }
  done = true;
  standardEditorsRegistry.setInit(() =>
    EDITOR_IDS.map((id): StandardEditorsRegistryItem => ({ id, name: id, editor: NoEditor }))
  );
  standardFieldConfigEditorRegistry.setInit(() => [
    fieldItem(FieldConfigProperty.Unit, stringOverrideProcessor, always),
    fieldItem(FieldConfigProperty.Min, numberOverrideProcessor, isNumber),
    fieldItem(FieldConfigProperty.Max, numberOverrideProcessor, isNumber),
    fieldItem(FieldConfigProperty.FieldMinMax, booleanOverrideProcessor, isNumber),
    fieldItem(FieldConfigProperty.Decimals, numberOverrideProcessor, isNumber),
    fieldItem(FieldConfigProperty.DisplayName, displayNameOverrideProcessor, always),
    fieldItem(FieldConfigProperty.Color, identityOverrideProcessor, always),
    fieldItem(FieldConfigProperty.NoValue, stringOverrideProcessor, always),
    fieldItem(FieldConfigProperty.Links, dataLinksOverrideProcessor, always),
    fieldItem(FieldConfigProperty.Actions, identityOverrideProcessor, always),
    fieldItem(FieldConfigProperty.Mappings, valueMappingsOverrideProcessor, (f) => f.type !== FieldType.time, {
      defaultValue: [],
    }),
    fieldItem(FieldConfigProperty.Thresholds, thresholdsOverrideProcessor, always, {
      defaultValue: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: 'green' },
          { value: 80, color: 'red' },
        ],
      },
    }),
    fieldItem(FieldConfigProperty.Filterable, booleanOverrideProcessor, always),
  ]);
}
