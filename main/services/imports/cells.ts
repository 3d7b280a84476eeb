/**
 * Reading typed values out of SourceCells for the kinds' parse(): each returns the value or a zh-TW
 * problem for that field. Empty cells are `null` (the kind decides whether the field is required).
 */
import { normalizeNationalId, validateNationalId } from '../../contract/national-id';
import { parseRocDate } from '../../contract/roc-date';
import type { RowProblem, SourceCell, SourceRow } from './types';

export type CellResult<T> = { ok: true; value: T | null } | { ok: false; problem: RowProblem };

export function cellText(row: SourceRow, field: string): string {
  return row.cells[field]?.text.trim() ?? '';
}

/** A date: a real date cell, or text in any form parseRocDate accepts (115/3/5, 1150305, 115.03.05, 民國115年3月5日, 2026-03-05). */
export function cellDate(row: SourceRow, field: string, label: string): CellResult<string> {
  const cell: SourceCell | undefined = row.cells[field];
  if (!cell) return { ok: true, value: null };
  if (cell.date) return { ok: true, value: cell.date };
  const text = cell.number !== undefined && cell.text === '' ? String(cell.number) : cell.text;
  if (text === '') return { ok: true, value: null };
  const r = parseRocDate(text);
  if (r.ok) return { ok: true, value: r.iso };
  return { ok: false, problem: { field, message: `${label}「${text}」無法辨識：${r.message}` } };
}

/** A 身分證字號 / 居留證號: normalised, checksum verified. */
export function cellNationalId(row: SourceRow, field: string): CellResult<string> {
  const text = cellText(row, field);
  if (text === '') return { ok: true, value: null };
  const r = validateNationalId(text);
  if (r.ok) return { ok: true, value: normalizeNationalId(text) };
  return { ok: false, problem: { field, message: r.message } };
}

/** A whole number (counts, NT$), with thousands separators allowed. */
export function cellInt(row: SourceRow, field: string, label: string): CellResult<number> {
  const cell = row.cells[field];
  if (!cell) return { ok: true, value: null };
  if (cell.number !== undefined && Number.isInteger(cell.number)) return { ok: true, value: cell.number };
  const text = cell.text.replace(/,/g, '');
  if (text === '') return { ok: true, value: null };
  if (/^-?\d+$/.test(text)) return { ok: true, value: Number(text) };
  return { ok: false, problem: { field, message: `${label}須為整數，檔案中是「${cell.text}」` } };
}

/** One of a fixed set of values, matched by label or code (e.g. 性別: 男/女/M/F/1/2). */
export function cellChoice<T extends string>(row: SourceRow, field: string, label: string, choices: Readonly<Record<string, T>>): CellResult<T> {
  const text = cellText(row, field);
  if (text === '') return { ok: true, value: null };
  const hit = choices[text] ?? choices[text.toUpperCase()];
  if (hit !== undefined) return { ok: true, value: hit };
  const allowed = [...new Set(Object.keys(choices))].slice(0, 8).join('、');
  return { ok: false, problem: { field, message: `${label}「${text}」不是可接受的值（可填：${allowed}）` } };
}
