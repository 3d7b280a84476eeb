/**
 * 修改品項 (issue 11 §1): one catalogue item on the shared form layer (the contract's schema, messages
 * beside fields); the stale-save refusal (someone saved the item meanwhile) shows above the buttons.
 */
import { Button, Checkbox, Group, NumberInput, Stack, TextInput } from '@mantine/core';
import { foodbankMethods } from '../../../main/contract/methods/foodbank';
import type { FbItemView } from '../../../main/contract/types-foodbank';
import { call } from '../../lib/api';
import { FormError, useContractForm, useUnsavedGuard } from '../../lib/form';
import { msgFoodbank as m } from '../../lib/messages';
import { msgProgEdit as e } from '../../lib/messages-programmes-edit';

const labels = { name: m.name, category: m.category, unit: m.unit, value: m.value, kgPerUnit: '每單位公斤', shelfLifeDays: m.shelfLife, minLevel: m.minLevel, points: m.points, perishable: m.perishable, byWeight: m.byWeight };
const num = (v: unknown): unknown => (v === '' || v === null || v === undefined ? undefined : typeof v === 'number' ? v : v);

export function ItemEditForm({ item, onSaved, onCancel }: { item: FbItemView; onSaved: () => void; onCancel: () => void }) {
  const f = useContractForm(foodbankMethods['foodbank.saveItem'].input, {
    initialValues: {
      id: item.id,
      version: item.version,
      name: item.name,
      category: item.category,
      unit: item.unit,
      byWeight: item.byWeight,
      value: item.value as number | string,
      kgPerUnit: item.kgPerUnit as number | string,
      perishable: item.perishable,
      shelfLifeDays: (item.shelfLifeDays ?? '') as number | string,
      minLevel: item.minLevel as number | string,
      points: item.points as number | string,
      active: item.active,
    },
    labels,
    required: ['name', 'category', 'unit', 'value', 'kgPerUnit'],
    toInput: (v) => ({ ...v, value: num(v.value), kgPerUnit: num(v.kgPerUnit), minLevel: num(v.minLevel), points: num(v.points), shelfLifeDays: v.shelfLifeDays === '' ? null : v.shelfLifeDays }) as never,
  });
  const guard = useUnsavedGuard(f.form.isDirty());
  return (
    <form
      {...f.formProps(async (input) => {
        await call('foodbank.saveItem', input as never);
        f.form.resetDirty();
        onSaved();
      })}
    >
      {guard}
      <Stack>
        <Group grow>
          <TextInput {...f.field('name')} />
          <TextInput {...f.field('category')} />
          <TextInput {...f.field('unit')} />
        </Group>
        <Group grow>
          <NumberInput {...f.field('value')} />
          <NumberInput {...f.field('kgPerUnit')} decimalScale={3} />
          <NumberInput {...f.field('shelfLifeDays')} allowDecimal={false} />
        </Group>
        <Group grow>
          <NumberInput {...f.field('minLevel')} />
          <NumberInput {...f.field('points')} allowDecimal={false} />
        </Group>
        <Group>
          <Checkbox {...f.field('perishable', { type: 'checkbox' })} />
          <Checkbox {...f.field('byWeight', { type: 'checkbox' })} />
          <Checkbox {...f.field('active', { type: 'checkbox' })} label="使用中" />
        </Group>
        <FormError message={f.formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {e.cancel}
          </Button>
          <Button type="submit" loading={f.busy}>
            {e.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
