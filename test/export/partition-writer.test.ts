import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyRowValues } from '../../src/export/key-columns.js';
import { PartitionWriter } from '../../src/export/partition-writer.js';
import type { SnapshotInfo } from '../../src/export/snapshot-info.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

const SNAPSHOT_ID = 'sha256-edges:0123456789abcdef0123456789abcdef';

function info(keyRows: number): SnapshotInfo {
  return {
    snapshotId: SNAPSHOT_ID, instance: 'shard-1', fileName: 'dump.rdb', path: '/backups/shard-1/dump.rdb', fileBytes: 1, compression: 'none',
    snapshotTimeMs: Date.UTC(2026, 10, 2, 3), timeSource: 'ctime', server: 'redis', serverVersion: '7.0.15', rdbVersion: 10, usedMem: null,
    keyCount: keyRows, keyRows, keysMinBytes: null, topPerPattern: null, status: 'complete', error: null, memoryProfile: null, unestimatedKeys: 0,
    rdbBytes: 1, checksum: 'absent',
  };
}

/** Rows with random keys (Snappy keeps them large: the file passes the writer's 1 MiB buffer). */
function push(w: PartitionWriter, from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    const key = new Uint8Array(64);
    for (let j = 0; j < key.length; j++) key[j] = Math.floor(Math.random() * 256);
    key[0] = i & 0xff;
    const r: KeyRowValues = {
      db: 0, key, keyText: new TextEncoder().encode(`k${i}`), pattern: 'k*', type: 'string', rdbType: 'string', encoding: 'embstr', elements: 1, valueBytes: 1,
      memoryBytes: 56, largestElementBytes: 1, expireAtMs: NaN, idleSeconds: NaN, lfuFreq: NaN, fieldsWithTtl: NaN, streamGroups: NaN, streamPending: NaN,
    };
    w.keys.push(r);
  }
}

describe('two exports of the same snapshot into one directory at once', () => {
  it('the one that completes leaves a whole keys.parquet, whatever the other does (a retried job, killed)', async () => {
    const out = tempDir();
    const first = new PartitionWriter(out, SNAPSHOT_ID, 1024);
    push(first, 0, 40_000);
    // The second starts while the first is writing (with one temporary name per snapshot, it truncated
    // the first one's file), writes a little, and is stopped.
    const second = new PartitionWriter(out, SNAPSHOT_ID, 1024);
    push(second, 0, 2_000);
    push(first, 40_000, 20_000);
    const dir = first.finish(info(60_000), [['k*', 'string', 60_000, null, 60_000, 60_000, null, 60_000]]);
    second.abort();
    const duck = await Duck.open();
    try {
      expect(await duck.all(`SELECT count(*) AS n, count(DISTINCT key_text) AS d FROM '${join(dir, 'keys.parquet')}'`)).toEqual([{ n: 60_000, d: 60_000 }]);
    } finally {
      duck.close();
    }
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a completed run removes what killed runs of its snapshot left, and nothing a live run is writing', () => {
    const out = tempDir();
    const killed = join(out, '.rdbscope-0123456789abcdef01234567-zzzzzz1-keys.parquet.tmp');
    writeFileSync(killed, 'partial');
    const old = new Date(Date.now() - 60_000);
    utimesSync(killed, old, old);
    const otherSnapshot = join(out, '.rdbscope-fedcba9876543210fedcba98-zzzzzz1-keys.parquet.tmp');
    writeFileSync(otherSnapshot, 'partial');
    utimesSync(otherSnapshot, old, old);
    const w = new PartitionWriter(out, SNAPSHOT_ID);
    const live = join(out, '.rdbscope-0123456789abcdef01234567-zzzzzz2-keys.parquet.tmp');
    writeFileSync(live, 'being written');
    push(w, 0, 10);
    w.finish(info(10), []);
    expect(readdirSync(out).sort()).toEqual([live, otherSnapshot].map((p) => p.slice(out.length + 1)).concat('instance=shard-1').sort());
  });
});
