import { writeFileSync } from 'node:fs';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';

/** Snapshot times (AUX ctime, seconds) of the two nights the fleet docs' growth query compares. */
export const NIGHT_1 = Date.UTC(2026, 10, 1, 3, 0, 0) / 1000;
export const NIGHT_2 = Date.UTC(2026, 10, 2, 3, 0, 0) / 1000;

/** How many keys of each family a fleet dump holds. */
export interface FleetShape {
  users: number;
  pages: number;
  sessions: number;
  queues: number;
  binary: number;
  /** LFU counters instead of LRU idle times (a server with an LFU maxmemory-policy). */
  lfu?: boolean;
}

/**
 * A dump of one shard on one night, written by the spec-following test writer (a real server cannot
 * be told its clock, and the partition date comes from AUX ctime): hashes, strings with and without
 * TTL, lists, binary and non-ASCII keys, LRU idle times or LFU counters, sizes varying with `seed`.
 */
export function writeFleetDump(path: string, ctimeS: number, seed: number, shape: FleetShape): void {
  let state = seed >>> 0 || 1;
  const rnd = (n: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const w = new RdbWriter({ version: 11 });
  w.aux('redis-ver', '7.2.4').aux('redis-bits', '64').aux('ctime', String(ctimeS)).aux('used-mem', String(1_000_000 + seed)).selectDb(0);
  for (let i = 0; i < shape.users; i++) {
    // The first key idle 0 / counter 0: the boundary of the idle-or-LFU access field.
    if (shape.lfu) w.freq(i === 0 ? 0 : rnd(256));
    else w.idle(i === 0 ? 0 : rnd(5000));
    w.key(TYPE.HASH, `user:${1000 + i}:profile`).len(3);
    w.string('name').string('n'.repeat(1 + rnd(40))).string('email').string(`u${i}@example.com`).string('bio').string('b'.repeat(rnd(300)));
  }
  for (let i = 0; i < shape.pages; i++) w.key(TYPE.STRING, `cache:page:${(0xa0000000 + i * 7919).toString(16)}`).string('<p>'.repeat(1 + rnd(400)));
  for (let i = 0; i < shape.sessions; i++) {
    w.expireMs((ctimeS + 60 + rnd(86_400)) * 1000).key(TYPE.STRING, `session:${(seed * 1_000_003 + i * 104_729).toString(36).padStart(12, 'x')}`).string('s'.repeat(20 + rnd(200)));
  }
  w.selectDb(1);
  for (let i = 0; i < shape.queues; i++) {
    const n = 1 + rnd(50);
    w.key(TYPE.LIST, `queue:${i}`).len(n);
    for (let j = 0; j < n; j++) w.string(`job-${j}-${'x'.repeat(rnd(30))}`);
  }
  for (let i = 0; i < shape.binary; i++) {
    w.key(TYPE.STRING, new Uint8Array([0x62, 0x69, 0x6e, 0x3a, 0xff, 0x00, 0x0a, i])).string('v'.repeat(1 + rnd(100)));
    w.key(TYPE.STRING, `ключ:${i}`).string('значение'.repeat(1 + rnd(10)));
  }
  writeFileSync(path, w.finish());
}
