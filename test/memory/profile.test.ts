import { describe, expect, it } from 'vitest';
import { DEFAULT_ENCODING_CONFIG, parseProfile, profileFromAux } from '../../src/memory/index.js';

describe('parseProfile', () => {
  it('reads family, version and build', () => {
    expect(parseProfile('redis-7.0')).toEqual({ id: 'redis-7.0', family: 'redis', version: [7, 0], quantum: 8 });
    expect(parseProfile('redis-7.4.8')).toMatchObject({ id: 'redis-7.4', quantum: 8 });
    expect(parseProfile('redis-7.0-q16')).toMatchObject({ id: 'redis-7.0-q16', quantum: 16 });
    expect(parseProfile('redis-7.0-distro')).toMatchObject({ id: 'redis-7.0-q16', quantum: 16 });
    expect(parseProfile('valkey-8.1')).toMatchObject({ family: 'valkey', version: [8, 1] });
  });
  it('rejects unknown forms and unmodelled releases with a plain Error', () => {
    for (const bad of ['', 'redis', 'redis-7', 'memcached-1.6', 'redis-6.2', 'redis-7.1', 'redis-7.0-q4']) {
      expect(() => parseProfile(bad)).toThrow(Error);
    }
    expect(() => parseProfile('redis-6.2')).toThrow(/redis-7\.0/);
  });
});

describe('profileFromAux', () => {
  it('uses the writer version, valkey-ver first', () => {
    expect(profileFromAux([{ key: 'redis-ver', value: '7.2.13' }]).id).toBe('redis-7.2');
    expect(profileFromAux([{ key: 'redis-ver', value: '7.2.4' }, { key: 'valkey-ver', value: '8.1.7' }]).id).toBe('valkey-8.1');
    expect(profileFromAux([{ key: 'redis-ver', value: '8.5.1' }]).id).toBe('redis-8.4');
    expect(profileFromAux([{ key: 'redis-ver', value: '99.0.0' }]).id).toBe('redis-8.8');
  });
  it('falls back to redis-7.0 for unknown or older writers', () => {
    expect(profileFromAux([]).id).toBe('redis-7.0');
    expect(profileFromAux([{ key: 'redis-ver', value: '6.0.6' }]).id).toBe('redis-7.0');
    expect(profileFromAux([{ key: 'redis-ver', value: 'weird' }]).id).toBe('redis-7.0');
  });
});

describe('encoding config', () => {
  it('defaults are Redis 7.0 config.c values', () => {
    expect(DEFAULT_ENCODING_CONFIG).toEqual({
      hashMaxListpackEntries: 512, hashMaxListpackValue: 64, zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64,
      setMaxIntsetEntries: 512, setMaxListpackEntries: 128, setMaxListpackValue: 64, listMaxListpackSize: -2,
    });
  });
});
