/** Hand-made KeyRecords for memory-model tests (shapes as the parser documents them in record.ts). */
import type { KeyRecord, RdbEncoding, RedisType, ValueShape } from '../../src/core/record.js';
import { SizeHistogram } from '../../src/core/size-histogram.js';

export function record(type: RedisType, rdbType: RdbEncoding, key: string, fields: Partial<KeyRecord> & { shape?: ValueShape } = {}): KeyRecord {
  const bytes = new TextEncoder().encode(key);
  return {
    db: 0,
    key: bytes,
    keyPrintable: key,
    type,
    rdbType,
    rdbTypeId: 0,
    elements: 1,
    valueBytes: 0,
    largestElementBytes: 0,
    expireAtMs: null,
    idleSeconds: null,
    lfuFreq: null,
    offset: 0,
    shape: {},
    ...fields,
  };
}

export function hist(...lengths: (number | [number, number])[]): SizeHistogram {
  const h = new SizeHistogram();
  for (const l of lengths) {
    if (Array.isArray(l)) h.add(l[0], l[1]);
    else h.add(l);
  }
  return h;
}

export function str(key: string, value: string): KeyRecord {
  const isInt = /^(0|-?[1-9]\d{0,18})$/.test(value) && BigInt(value) <= 2n ** 63n - 1n && BigInt(value) >= -(2n ** 63n);
  return record('string', 'string', key, { elements: value.length, largestElementBytes: value.length, shape: { strIsInt: isInt } });
}
