/**
 * Seed dumps for mutation fuzzing: small committed fixtures, small shared-corpus files (when
 * present) and writer-built files covering encodings the others may lack. All small, so a short
 * run covers thousands of inputs.
 */
import { Crc64 } from '../../src/rdb/crc64.js';
import { RdbWriter, TYPE, buildIntset, buildListpack, buildZiplist, buildZipmap } from '../support/rdb-writer.js';
import { corpusFiles, fixtureFiles, type SampleFile } from './helpers.js';

export function builtSeeds(): SampleFile[] {
  const out: SampleFile[] = [];
  const add = (name: string, bytes: Uint8Array): void => void out.push({ name: `built/${name}`, bytes });
  add(
    'v3-old-encodings',
    new RdbWriter({ version: 3 })
      .selectDb(0)
      .key(TYPE.STRING, 'int').string('12345')
      .key(TYPE.STRING, 'lzf').string('a'.repeat(60), { encoding: 'lzf' })
      .key(TYPE.LIST, 'linked').len(3).string('x').string('17').string('yy')
      .key(TYPE.SET, 'set').len(2).string('m1').string('m2')
      .key(TYPE.ZSET, 'zset').len(2).string('a').stringDouble(1.5).string('b').stringDouble(Infinity)
      .key(TYPE.HASH, 'hash').len(2).string('f').string('v').string('g').string('w')
      .key(TYPE.HASH_ZIPMAP, 'zipmap').string(buildZipmap([['f1', 'v1'], ['f2', 'v2']], { free: 2 }))
      .key(TYPE.LIST_ZIPLIST, 'ziplist').string(buildZiplist(['a', 1, 300, -70000, 2n ** 40n, 'bbb']))
      .key(TYPE.SET_INTSET, 'intset').string(buildIntset(4, [1, 70000, 2_000_000]))
      .finish(),
  );
  add(
    'v9-ziplists',
    new RdbWriter({ version: 9 })
      .aux('redis-ver', '6.0.6').aux('redis-bits', '64')
      .selectDb(0).resizeDb(4, 1)
      .expireMs(1_900_000_000_000).key(TYPE.HASH_ZIPLIST, 'hz').string(buildZiplist(['f1', 'v1', 'f2', 2]))
      .key(TYPE.ZSET_ZIPLIST, 'zz').string(buildZiplist(['m', '1.5', 'n', 3]))
      .idle(50).key(TYPE.LIST_QUICKLIST, 'ql').len(2).string(buildZiplist(['a', 'b'])).string(buildZiplist([7, 8, 'c']), { encoding: 'lzf' })
      .key(TYPE.ZSET_2, 'z2').len(2).string('a').binaryDouble(1.25).string('b').binaryDouble(-3)
      .finish(),
  );
  add(
    'v11-listpacks',
    new RdbWriter({ version: 11 })
      .aux('redis-ver', '7.2.4').function2('#!lua name=lib\nredis.register_function("f", function() return 1 end)')
      .selectDb(0).resizeDb(5, 0)
      .freq(7).key(TYPE.HASH_LISTPACK, 'hl').string(buildListpack(['f', 'v', 'n', 12345]))
      .key(TYPE.ZSET_LISTPACK, 'zl').string(buildListpack(['m', 1, 'k', '2.5']))
      .key(TYPE.SET_LISTPACK, 'sl').string(buildListpack(['a', 'b', 99]))
      .key(TYPE.LIST_QUICKLIST_2, 'q2').len(2).len(2).string(buildListpack(['x', 'y'])).len(1).string('plain-node')
      .key(TYPE.SET_INTSET, 'is').string(buildIntset(8, [-(2n ** 40n), 5n]))
      .finish(),
  );
  add(
    'v12-hash-ttl',
    new RdbWriter({ version: 12 })
      .selectDb(3)
      .key(TYPE.HASH_LISTPACK_EX, 'hx').raw(u64le(1_900_000_000_000)).string(buildListpack(['f1', 'v1', 1_900_000_000_000, 'f2', 'v2', 0]))
      .key(TYPE.HASH_METADATA, 'hm').raw(u64le(1_800_000_000_000)).len(2).len(0).string('a').string('b').len(5).string('c').string('d')
      .finish(),
  );
  return out;
}

/** All seeds: built ones always, fixtures and corpus files up to `maxBytes`. */
export function fuzzSeeds(maxBytes = 10_000): SampleFile[] {
  return [...builtSeeds(), ...fixtureFiles(maxBytes), ...corpusFiles(maxBytes)];
}

/** The 8 trailer bytes (CRC64, little-endian) of `bytes`. */
export function crcTrailer(bytes: Uint8Array): Uint8Array {
  const c = new Crc64();
  c.update(bytes, 0, bytes.length);
  const v = BigInt('0x' + c.hex());
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, true);
  return out;
}

function u64le(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  return b;
}
