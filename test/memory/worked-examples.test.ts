/**
 * The worked examples of rdb-format.md §9.6 (live MEMORY USAGE of Redis 7.4.1, quantum 8, and of
 * Debian's 7.0.15, quantum 16). Expected numbers are the server's, copied from the document.
 */
import { describe, expect, it } from 'vitest';
import { estimateMemory, parseProfile } from '../../src/memory/index.js';
import { hist, record, str } from './records.js';

const r74 = parseProfile('redis-7.4');
const r70d = parseProfile('redis-7.0-distro');

describe('§9.6 worked examples (Redis 7.4.1, quantum 8)', () => {
  it('SET a a → 56 (embstr)', () => {
    expect(estimateMemory(str('a', 'a'), r74)).toEqual({ encoding: 'embstr', bytes: 56, exact: true });
  });
  it('SET k12345 123 → 48 (int)', () => {
    expect(estimateMemory(str('k12345', '123'), r74)).toEqual({ encoding: 'int', bytes: 48, exact: true });
  });
  it('44-byte value → 96 embstr, 45-byte → 104 raw', () => {
    expect(estimateMemory(str('s44', 'x'.repeat(44)), r74)).toMatchObject({ encoding: 'embstr', bytes: 96 });
    expect(estimateMemory(str('s45', 'x'.repeat(45)), r74)).toMatchObject({ encoding: 'raw', bytes: 104 });
  });
  it('RPUSH l a b c → 64 (listpack of 16 bytes)', () => {
    // one PACKED quicklist node: 6-byte header + 3 × (1 + 1 + 1) + end byte = 16
    const rec = record('list', 'quicklist2', 'l', { elements: 3, largestElementBytes: 1, shape: { nodes: hist(16) } });
    expect(estimateMemory(rec, r74)).toMatchObject({ encoding: 'listpack', bytes: 64 });
  });
  it('SADD si 1 2 3 → 64 (intset of 14 bytes)', () => {
    const rec = record('set', 'intset', 'si', { elements: 3, largestElementBytes: 1, shape: { blobBytes: 14, allInts: true, intWidth: 2 } });
    expect(estimateMemory(rec, r74)).toMatchObject({ encoding: 'intset', bytes: 64 });
  });
  it('hash-table set {m} → 168', () => {
    const cfg = { ...defaults(), setMaxIntsetEntries: 0, setMaxListpackEntries: 0 };
    const rec = record('set', 'set', 'k', { elements: 1, largestElementBytes: 1, shape: { members: hist(1), allInts: false } });
    expect(estimateMemory(rec, r74, cfg)).toMatchObject({ encoding: 'hashtable', bytes: 168 });
  });
  it('600-member set after reload → 27496', () => {
    const rec = record('set', 'set', 'k', { elements: 600, largestElementBytes: 6, shape: { members: hist([6, 600]), allInts: false } });
    expect(estimateMemory(rec, r74)).toMatchObject({ encoding: 'hashtable', bytes: 27496 });
  });
  it('600-field hash after reload → 32296; 2 of its fields with a TTL → 32328', () => {
    // fields f1…f600 (≤ 4 bytes: A(1 + 4 + 1) = 8, with TTL A(1 + 4 + 1 + 18) = 24, §9.3)
    const shape = { members: hist([4, 600]), values: hist([6, 600]), maxFieldBytes: 4, maxValueBytes: 6, firstLongEntryIndex: -1 };
    const rec = record('hash', 'hash', 'k', { elements: 600, largestElementBytes: 6, shape });
    expect(estimateMemory(rec, r74)).toMatchObject({ encoding: 'hashtable', bytes: 32296 });
    const withTtl = record('hash', 'hash-listpack', 'k', { elements: 600, largestElementBytes: 6, shape: { ...shape, ttlFieldLengths: hist(4, 4) } });
    expect(estimateMemory(withTtl, r74)).toMatchObject({ encoding: 'hashtable', bytes: 32328 });
  });
  it('hash listpack-ex with 3 fields → 136', () => {
    const rec = record('hash', 'hash-listpack-ex', 'k', { elements: 3, largestElementBytes: 2, shape: { blobBytes: 53 } });
    expect(estimateMemory(rec, r74)).toMatchObject({ encoding: 'listpackex', bytes: 136 });
  });
  it('one-entry stream with its live 4096-byte node → 4728', () => {
    const rec = record('stream', 'stream-listpacks3', 'k', {
      elements: 1,
      shape: { nodes: hist(4096), streamIds: { nodes: new Uint8Array(16), groups: [] } },
      stream: {
        length: 1, nodes: 1, lastId: '1-0', firstId: '1-0', maxDeletedId: '0-0', entriesAdded: 1,
        groups: 0, pending: 0, consumers: 0, nacked: 0, groupInfo: [], idmp: null,
      },
    });
    expect(estimateMemory(rec, r74)).toMatchObject({ encoding: 'stream', bytes: 4728 });
  });
  it('list with one 10 000-byte element (PLAIN node) → 10368', () => {
    const rec = record('list', 'quicklist2', 'k', { elements: 1, largestElementBytes: 10000, shape: { plainNodes: hist(10000) } });
    expect(estimateMemory(rec, r74)).toMatchObject({ encoding: 'quicklist', bytes: 10368 });
  });
});

describe('§9.6 Debian 7.0.15 (quantum 16)', () => {
  it('SET a a → 64, 45-byte value → 112', () => {
    expect(estimateMemory(str('a', 'a'), r70d).bytes).toBe(64);
    expect(estimateMemory(str('s45', 'x'.repeat(45)), r70d).bytes).toBe(112);
  });
  it('7.0 keeps a one-node list a quicklist', () => {
    const rec = record('list', 'quicklist2', 'l', { elements: 3, largestElementBytes: 1, shape: { nodes: hist(16) } });
    expect(estimateMemory(rec, r70d).encoding).toBe('quicklist');
  });
});

function defaults() {
  return { hashMaxListpackEntries: 512, hashMaxListpackValue: 64, zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64, setMaxIntsetEntries: 512, setMaxListpackEntries: 128, setMaxListpackValue: 64, listMaxListpackSize: -2 };
}
