export { allIndicators, getIndicator, indicatorViews } from './registry';
export { compareKeys, countIndicator, pick, rowsIndicator } from './engine';
export type { CountSpec, RowsSpec, Source } from './engine';
export { labelOf, labelValues, VALUE_ORDER, EMPTY_LABEL } from './labels';
export { bounds, monthsOf, taipeiDayStartUtc, taipeiDateOf } from './period';
export * from './types';
