/**
 * Lists on Redis 7.0–8.0 (rdb-format.md §9.4 "List", §9.5). A loaded quicklist keeps its nodes as
 * in the file (LZF nodes are decompressed); from 7.2 a quicklist of one small PACKED node is turned
 * into a plain listpack (`listTypeTryConvertQuicklist`). Redis 7.0 lists are always quicklists.
 */
import type { KeyRecord } from '../core/record.js';
import { listNodeLimits, type EncodingConfig } from './config.js';
import type { ValueEstimate } from './estimate.js';
import { atLeast } from './profile.js';
import type { Sizing } from './sizing.js';

const ROBJ = 16;
const QUICKLIST = 40;
const QUICKLIST_NODE = 40;

export function classicList(rec: KeyRecord, s: Sizing, cfg: EncodingConfig): ValueEstimate {
  const { packed, plain, exact } = listNodes(rec, cfg);
  if (atLeast(s.profile, 7, 2) && plain.length === 0 && packed.length === 1) {
    const lim = listNodeLimits(cfg.listMaxListpackSize);
    if (packed[0]! <= lim.bytes && rec.elements <= lim.entries) {
      return { encoding: 'listpack', bytes: ROBJ + s.A(packed[0]!), exact };
    }
  }
  let bytes = ROBJ + QUICKLIST;
  for (const n of packed) bytes += QUICKLIST_NODE + s.A(n);
  for (const n of plain) bytes += QUICKLIST_NODE + s.A(n);
  return { encoding: 'quicklist', bytes, exact };
}

/**
 * Node sizes after load. Quicklist files give them (`shape.nodes`, `shape.plainNodes`); a ziplist or
 * linked list becomes listpack nodes Redis fills itself, approximated as one node when small enough.
 */
function listNodes(rec: KeyRecord, cfg: EncodingConfig): { packed: number[]; plain: number[]; exact: boolean } {
  const sh = rec.shape;
  if (sh.nodes || sh.plainNodes) {
    const packed: number[] = [];
    const plain: number[] = [];
    for (const [len, n] of sh.nodes?.entries() ?? []) for (let i = 0; i < n; i++) packed.push(len);
    for (const [len, n] of sh.plainNodes?.entries() ?? []) for (let i = 0; i < n; i++) plain.push(len);
    const exact = (sh.nodes?.exact ?? true) && (sh.plainNodes?.exact ?? true) && rec.rdbType === 'quicklist2';
    return { packed, plain, exact };
  }
  const lp = sh.listpackBytes ?? sh.blobBytes ?? 7 + rec.elements * 2;
  const lim = listNodeLimits(cfg.listMaxListpackSize);
  if (lp <= lim.bytes && rec.elements <= lim.entries) return { packed: [lp], plain: [], exact: false };
  // split evenly into nodes that respect the byte limit
  const limit = Number.isFinite(lim.bytes) ? lim.bytes : 8192;
  const count = Math.max(1, Math.ceil(lp / limit), Number.isFinite(lim.entries) ? Math.ceil(rec.elements / lim.entries) : 1);
  return { packed: new Array<number>(count).fill(Math.ceil(lp / count)), plain: [], exact: false };
}
