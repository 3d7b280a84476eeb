/**
 * The core's view of the kinds: those listed in kinds/index.ts, plus any registered at run time
 * (`registerImportKind`, for tests that bring a small kind of their own).
 */
import { ApiError } from '../../contract/envelope';
import { ROLE_LABELS } from '../../contract/roles';
import type { Actor } from '../context';
import { IMPORT_KINDS } from './kinds/index';
import type { ImportKind, ImportKindName } from './types';

const extra = new Map<ImportKindName, ImportKind<unknown>>();

/** Registers (or replaces) a kind at run time; returns a function that removes it again. Tests only. */
export function registerImportKind<P>(kind: ImportKind<P>): () => void {
  extra.set(kind.name, kind as unknown as ImportKind<unknown>);
  return () => {
    if (extra.get(kind.name) === (kind as unknown)) extra.delete(kind.name);
  };
}

export function allKinds(): ImportKind<unknown>[] {
  const out = new Map<ImportKindName, ImportKind<unknown>>();
  for (const k of Object.values(IMPORT_KINDS)) if (k) out.set(k.name, k as unknown as ImportKind<unknown>);
  for (const [name, k] of extra) out.set(name, k);
  return [...out.values()];
}

export function findKind(name: string): ImportKind<unknown> | undefined {
  return allKinds().find((k) => k.name === name);
}

/** The kind, when the caller's role may run it; else NOT_FOUND / FORBIDDEN. */
export function kindFor(name: string, actor: Actor): ImportKind<unknown> {
  const kind = findKind(name);
  if (!kind) throw new ApiError('NOT_FOUND', '這種清單目前還不能匯入。');
  if (!kind.roles.includes(actor.role)) throw new ApiError('FORBIDDEN', `您的角色（${ROLE_LABELS[actor.role]}）不能匯入「${kind.label}」。`);
  return kind;
}
