import { describe, expect, it } from 'vitest';
import { ttlBucket } from '../../src/store/index.js';

describe('ttlBucket', () => {
  it('is expired only once the snapshot time is past the expiry (R:db.c keyIsExpired: now > when)', () => {
    const t = 1_700_000_000_000;
    expect(ttlBucket(t - 1, t)).toBe('expired');
    expect(ttlBucket(t, t)).toBe('<1m');
    expect(ttlBucket(t + 59_999, t)).toBe('<1m');
    expect(ttlBucket(t + 60_000, t)).toBe('<1h');
    expect(ttlBucket(null, t)).toBe('none');
  });
});
