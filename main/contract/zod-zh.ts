import { z } from 'zod';

/**
 * zod's default messages in plain zh-TW for fields whose schema names no message of its own. zod's own
 * zh-TW locale names types in English ("預期為 string"), which a user must never see; this map covers
 * the common cases and falls back to that locale for the rest. Used by the dispatcher (server side) and
 * by the renderer's form layer (`z.config`), so both sides answer alike.
 */
const fallback = z.locales.zhTW().localeError;

const TYPE_WORDS: Record<string, string> = {
  number: '數字',
  int: '整數',
  string: '文字',
  boolean: '是或否',
  array: '清單',
  date: '日期',
};

export const zhTWErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.input === null || issue.input === '') return '此欄為必填';
      const want = TYPE_WORDS[issue.expected] ?? '';
      return want ? `請輸入${want}` : '格式不正確';
    }
    case 'invalid_value':
      return '請從選項中選擇';
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? '此欄為必填' : `至少 ${min} 個字`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? '請至少選擇或填寫一項' : `至少 ${min} 項`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return issue.inclusive ? `不可小於 ${min}` : `須大於 ${min}`;
      }
      return '數值過小';
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `最多 ${max} 個字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${max} 項`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return issue.inclusive ? `不可大於 ${max}` : `須小於 ${max}`;
      }
      return '數值過大';
    }
    case 'invalid_format':
      return '格式不正確';
    case 'not_multiple_of':
      return '數值不正確';
    case 'unrecognized_keys':
      return '含有不認得的資料';
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return '格式不正確';
    case 'custom':
      return '內容不正確';
    default: {
      const r = fallback(issue);
      return typeof r === 'string' ? r : (r?.message ?? '格式不正確');
    }
  }
};
