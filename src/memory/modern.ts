/**
 * MEMORY USAGE on Redis ≥ 8.2 and Valkey ≥ 8.1 (rdb-format.md §9.7): the key object (§9.7.2) plus
 * the value structures (§9.7.3–9.7.6). Encoding decisions are those of Redis/Valkey 7.2+ (shared
 * with the classic model), except that Valkey keeps every hash with field TTLs as a table.
 * Redis 8.4+ report tracked sizes: listpacks, intsets and short sds count their used bytes.
 */
import type { KeyRecord, MemoryEstimate } from '../core/record.js';
import { arrayValue } from './arrays.js';
import type { SizeHistogram } from '../core/size-histogram.js';
import { classicList } from './classic-lists.js';
import { classicSet } from './classic-sets.js';
import { classicZset } from './classic-zsets.js';
import type { EncodingConfig } from './config.js';
import { presizedBuckets } from './dict-buckets.js';
import type { ValueEstimate } from './estimate.js';
import { planHash } from './hash-plan.js';
import { modernStream } from './modern-streams.js';
import { embedsString, keyObjectBytes, type ModernFamily } from './modern-key.js';
import { vectorSetUsage } from './modules.js';
import { mstrBytes, sds8Bytes, sdsBytes, sdsHeader, trackedSdsBytes } from './sds.js';
import type { Sizing } from './sizing.js';
import { expectedNodeAlloc, headerNodeAlloc } from './skiplist.js';
import { valkeyTableBytes } from './valkey-hashtable.js';
import { vsetBytes } from './valkey-vset.js';

export function modernEstimate(rec: KeyRecord, f: ModernFamily, s: Sizing, cfg: EncodingConfig): MemoryEstimate {
  const m = new Modern(rec, f, s, cfg);
  const v = m.value();
  const key = keyObjectBytes(rec, f, s, m.embedded);
  return { encoding: v.encoding, bytes: Math.round(v.bytes + key), exact: v.exact };
}

class Modern {
  embedded: number | null = null;
  private readonly tracked: boolean; // Redis 8.4+
  private readonly valkey: boolean;

  constructor(
    private readonly rec: KeyRecord,
    private readonly f: ModernFamily,
    private readonly s: Sizing,
    private readonly cfg: EncodingConfig,
  ) {
    this.tracked = f === 'r84' || f === 'r86';
    this.valkey = f.startsWith('v');
  }

  /** Compact blobs: allocation class, or used bytes when tracked. */
  private blob(n: number): number {
    return this.tracked ? n : this.s.A(n);
  }

  /** T(len) on tracked builds (type-5 sds report used bytes), Z(len) otherwise. */
  private sds(len: number): number {
    return this.tracked ? trackedSdsBytes(len, this.s.sdsRule, this.s.A) : this.s.Z(len);
  }

  value(): ValueEstimate {
    switch (this.rec.type) {
      case 'string':
        return this.string();
      case 'list':
        return this.list();
      case 'set':
        return this.set();
      case 'zset':
        return this.zset();
      case 'hash':
        return this.hash();
      case 'stream':
        return this.stream();
      case 'array':
        return arrayValue(this.rec, this.s);
      default:
        if (this.rec.vectorSet) return { encoding: 'raw', bytes: vectorSetUsage(this.rec, this.s), exact: true };
        return { encoding: 'raw', bytes: this.rec.valueBytes, exact: false };
    }
  }

  private string(): ValueEstimate {
    const len = this.rec.largestElementBytes;
    if (this.rec.shape.strIsInt) return { encoding: 'int', bytes: 0, exact: true };
    if (embedsString(this.rec, len, this.f, this.s)) {
      this.embedded = len;
      return { encoding: 'embstr', bytes: 0, exact: true };
    }
    return { encoding: 'raw', bytes: this.sds(len), exact: true };
  }

  private list(): ValueEstimate {
    const c = classicList(this.rec, this.s, this.cfg); // 7.2+ decisions; bytes recomputed below
    const sh = this.rec.shape;
    if (c.encoding === 'listpack') {
      const lp = sh.nodes ? [...sh.nodes.entries()][0]![0] : (sh.listpackBytes ?? 0);
      return { encoding: 'listpack', bytes: this.blob(lp), exact: c.exact };
    }
    const nodes = (h: SizeHistogram | undefined) => (h ? h.sum((len) => 40 + this.blob(len)) : 0);
    const head = this.tracked ? 48 : 40;
    return { encoding: 'quicklist', bytes: head + nodes(sh.nodes) + nodes(sh.plainNodes), exact: c.exact };
  }

  private set(): ValueEstimate {
    const c = classicSet(this.rec, this.s, this.cfg);
    const sh = this.rec.shape;
    const n = this.rec.elements;
    if (c.encoding === 'intset') return { encoding: 'intset', bytes: this.blob(sh.blobBytes ?? 8 + (sh.intWidth ?? 8) * n), exact: c.exact };
    if (c.encoding === 'listpack') return { encoding: 'listpack', bytes: this.blob(sh.blobBytes ?? sh.listpackBytes ?? 0), exact: c.exact };
    const members = this.memberSum((len) => this.s.Z(len), (len) => this.sds(len));
    let bytes: number;
    if (this.valkey) bytes = valkeyTableBytes(n, this.valkeyStruct(), 0) + members.z;
    else if (this.tracked) bytes = 56 + 24 * n + 8 * presizedBuckets(n) + members.t;
    else bytes = 56 + 8 * presizedBuckets(n) + 24 * n + members.z;
    return { encoding: 'hashtable', bytes, exact: c.exact && !this.valkey && members.exact };
  }

  private zset(): ValueEstimate {
    const c = classicZset(this.rec, this.s, this.cfg);
    const sh = this.rec.shape;
    const n = this.rec.elements;
    if (c.encoding === 'listpack') {
      const lp = this.rec.rdbType === 'zset-listpack' ? sh.blobBytes : sh.listpackBytes;
      return { encoding: 'listpack', bytes: this.blob(lp ?? 0), exact: c.exact };
    }
    const q = this.s.profile.quantum;
    const B = presizedBuckets(n);
    const level24 = expectedNodeAlloc(24, q);
    const S = (len: number) => sdsBytes(len, this.s.sdsRule);
    const members = this.memberSum((len) => this.s.Z(len), (len) => this.sds(len));
    let bytes: number;
    switch (this.f) {
      case 'r82':
        bytes = 16 + 32 + 56 + 8 * B + headerNodeAlloc(24, q) + members.z + n * (16 + level24);
        break;
      case 'r84':
        bytes = 16 + 40 + headerNodeAlloc(24, q) + n * level24 + members.t + 56 + 24 * n + 8 * B;
        break;
      case 'r86':
        bytes = 16 + 40 + 640 + this.sumMembers((len) => expectedNodeAlloc(16 + S(len), q)) + 56 + 24 * n + 8 * B;
        break;
      case 'v81':
      case 'v90':
        bytes = 16 + 32 + valkeyTableBytes(n, this.valkeyStruct(), 0) + 640 + members.z + n * level24;
        break;
      case 'v91':
        bytes = 16 + 528 + valkeyTableBytes(n, this.valkeyStruct(), 0) + this.sumMembers((len) => expectedNodeAlloc(16 + 1 + S(len), q));
        break;
    }
    return { encoding: 'skiplist', bytes, exact: false };
  }

  private hash(): ValueEstimate {
    const rec = this.rec;
    const sh = rec.shape;
    const n = rec.elements;
    const ttlFields = rec.fieldsWithTtl ?? sh.ttlFieldLengths?.count ?? 0;
    // Valkey keeps every hash with a volatile field as a table (§7.2)
    const plan = this.valkey && ttlFields > 0 ? ({ encoding: 'hashtable', buckets: 0, exact: true } as const) : planHash(rec, this.s.profile, this.cfg);
    if (plan.encoding !== 'hashtable') {
      const ex = plan.encoding === 'listpackex' ? 24 : 0; // listpackEx struct from 8.2 (§9.7.10)
      return { encoding: plan.encoding, bytes: ex + this.blob(plan.listpackBytes), exact: plan.exact };
    }
    const B = plan.buckets;
    const S = (len: number) => sdsBytes(len, this.s.sdsRule);
    const S8 = (len: number) => sds8Bytes(len, this.s.sdsRule);
    const A = this.s.A;
    let entries: { sum: number; exact: boolean };
    let bytes: number;
    switch (this.f) {
      case 'r82':
        entries = this.pairSum((fl, vl, ttl) => A(mstrBytes(fl, ttl)) + this.s.Z(vl));
        bytes = 56 + 8 * B + 24 * n + entries.sum;
        break;
      case 'r84':
        entries = this.pairSum((fl, vl, ttl) => A(mstrBytes(fl, ttl)) + this.sds(vl));
        bytes = 56 + 24 * n + 8 * B + entries.sum;
        break;
      case 'r86':
        entries = this.pairSum((fl, vl, ttl) => {
          const fs = (ttl ? Math.max(3, sdsHeader(fl, this.s.sdsRule)) : sdsHeader(fl, this.s.sdsRule)) + fl + 1;
          const x = ttl ? 16 : 0;
          return fs + x + 4 + vl <= 128 ? fs + x + 4 + vl : S8(fl) + x + 8 + this.sds(vl);
        });
        bytes = 56 + 24 * n + 8 * B + entries.sum;
        break;
      case 'v81':
        entries = this.pairSum((fl, vl) => (S(fl) + 4 + vl <= 128 ? A(S(fl) + 4 + vl) : A(8 + S8(fl)) + this.s.Z(vl)));
        bytes = valkeyTableBytes(n, this.valkeyStruct(), 0) + entries.sum;
        break;
      case 'v90':
      case 'v91':
        entries = this.pairSum((fl, vl, ttl) => {
          const t = ttl ? 8 : 0;
          const fs = (ttl ? Math.max(3, sdsHeader(fl, this.s.sdsRule)) : sdsHeader(fl, this.s.sdsRule)) + fl + 1;
          return t + fs + 4 + vl <= 128 ? A(t + fs + 4 + vl) : A(t + 8 + S8(fl)) + this.s.Z(vl);
        });
        bytes = valkeyTableBytes(n, this.valkeyStruct(), 8) + entries.sum + this.volatileIndex(ttlFields);
        break;
    }
    return { encoding: 'hashtable', bytes, exact: plan.exact && entries.exact && !this.valkey };
  }

  /** Valkey 9 volatile-field index V (§9.7.5): rebuilt from the expiry times, else estimated. */
  private volatileIndex(k: number): number {
    const times = this.rec.shape.ttlFieldExpiries;
    if (times !== undefined && times.length === k) return vsetBytes(times, this.s.A, this.valkeyStruct()).bytes;
    return volatileIndexByCount(k, this.s.A);
  }

  private stream(): ValueEstimate {
    return modernStream(this.rec, this.f, this.s);
  }

  private valkeyStruct(): number {
    return this.f === 'v91' ? 80 : 72;
  }

  private sumMembers(fn: (len: number) => number): number {
    return this.s.over(this.rec.shape.members, this.rec.elements, fn, this.rec.largestElementBytes).bytes;
  }

  private memberSum(z: (len: number) => number, t: (len: number) => number): { z: number; t: number; exact: boolean } {
    const exact = this.s.over(this.rec.shape.members, this.rec.elements, z, 0).exact;
    return { z: this.sumMembers(z), t: this.sumMembers(t), exact };
  }

  /**
   * Σ over fields of an entry cost that depends on both field and value length. The parser keeps
   * the two length histograms separately, so pairs are taken as independent (exact when one side
   * has a single length); TTL fields replace their share of no-TTL costs.
   */
  private pairSum(cost: (fieldLen: number, valueLen: number, ttl: boolean) => number): { sum: number; exact: boolean } {
    const sh = this.rec.shape;
    const n = this.rec.elements;
    const rescale = (h: typeof sh.members, fallback: number): [number, number][] =>
      h && h.count > 0 ? [...h.entries()].map(([len, c]) => [len, (c * n) / h.count]) : [[fallback, n]];
    const fields = rescale(sh.members, sh.maxFieldBytes ?? this.rec.largestElementBytes);
    const values = rescale(sh.values, sh.maxValueBytes ?? this.rec.largestElementBytes);
    const avgOver = (fl: number, ttl: boolean) => values.reduce((a, [vl, c]) => a + (c / n) * cost(fl, vl, ttl), 0);
    let sum = 0;
    for (const [fl, c] of fields) sum += c * avgOver(fl, false);
    if (sh.ttlFieldLengths) for (const [fl, c] of sh.ttlFieldLengths.entries()) sum += c * (avgOver(fl, true) - avgOver(fl, false));
    const exact = fields.length === 1 || values.length === 1;
    return { sum, exact };
  }
}

/**
 * V(k) from the count alone (expiry times not kept): exact up to 127 fields; beyond, as if every
 * field were in one of a few vector buckets.
 */
function volatileIndexByCount(k: number, A: (n: number) => number): number {
  if (k <= 1) return 0;
  if (k === 2) return 24;
  return A(8 + 8 * k);
}
