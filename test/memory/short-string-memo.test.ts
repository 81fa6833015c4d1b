import { describe, expect, it } from 'vitest';
import { estimatorFor, parseProfile, unmemoizedEstimatorFor } from '../../src/memory/index.js';
import { record } from './records.js';

const PROFILES = ['redis-7.0', 'redis-7.2', 'redis-7.4', 'redis-8.0', 'redis-8.2', 'redis-8.4', 'redis-8.6', 'redis-8.8', 'valkey-8.0', 'valkey-8.1', 'valkey-9.0', 'valkey-9.1']
  .flatMap((id) => [id, `${id}-q16`]);

const shortString = (keyLength: number, valueLength: number, isInt: boolean, expireAtMs: number | null) =>
  record('string', 'string', 'k'.repeat(keyLength), { elements: valueLength, largestElementBytes: valueLength, valueBytes: valueLength + 1, expireAtMs, shape: { strIsInt: isInt } });

describe('memoized estimates of short strings', () => {
  it.each(PROFILES)('%s: every shape gets the estimator’s own answer, whichever shape came first', (id) => {
    const profile = parseProfile(id);
    const memo = estimatorFor(profile);
    const own = unmemoizedEstimatorFor(profile);
    let differences = 0;
    // Each shape twice over, so that every answer after the first comes from the table.
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k <= 64; k++) {
        for (let v = 0; v <= 64; v++) {
          for (const isInt of [false, true]) {
            for (const expireAtMs of [null, 1_800_000_000_000]) {
              const rec = shortString(k, v, isInt, expireAtMs);
              if (JSON.stringify(memo(rec)) !== JSON.stringify(own(rec))) differences++;
            }
          }
        }
      }
    }
    expect(differences).toBe(0);
  });

  it('a key with KEY_META classes is estimated on its own, not from a plain key of its shape', () => {
    const profile = parseProfile('redis-8.6');
    const memo = estimatorFor(profile);
    const plain = memo(shortString(10, 5, false, null));
    const withMeta = { ...shortString(10, 5, false, null), keyMeta: { classes: [{ name: 'KMT1', version: 1, flags: 0, firstString: null }] } };
    expect(memo(withMeta)).toEqual(unmemoizedEstimatorFor(profile)(withMeta));
    expect(memo(withMeta).bytes).toBeGreaterThan(plain.bytes);
  });

  it('strings of other encodings and other types are not taken for short plain strings', () => {
    const profile = parseProfile('redis-7.0');
    const memo = estimatorFor(profile);
    memo(shortString(3, 3, false, null));
    const list = record('list', 'quicklist2', 'kkk', { rdbTypeId: 18, elements: 3, largestElementBytes: 3, shape: { nodes: undefined } });
    expect(memo(list)).toEqual(unmemoizedEstimatorFor(profile)(list));
  });
});
