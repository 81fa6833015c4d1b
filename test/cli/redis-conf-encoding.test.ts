/**
 * `--redis-conf` of keys, load, analyze and export: the encoding thresholds are read as the server
 * reads them (includes, quotes, units only where Redis takes them, bounds), and a line the server
 * would refuse to start with is a usage error instead of a silently ignored or misread threshold.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit.js';
import { readEncodingConfig, thresholdValue } from '../../src/cli/redis-conf-encoding.js';
import { ENCODING_DIRECTIVES } from '../../src/memory/index.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { requireRedis } from '../support/redis.js';
import { serverConfig } from '../support/redis-config.js';
import { tempDir } from '../support/temp.js';

/** The thresholds Redis 7.0 has, by their current names (CONFIG GET answers by these). */
const SERVER_NAMES = ['hash-max-listpack-entries', 'hash-max-listpack-value', 'zset-max-listpack-entries', 'zset-max-listpack-value', 'set-max-intset-entries', 'list-max-listpack-size'];

requireRedis()('encoding thresholds of --redis-conf, read as redis-server reads them', () => {
  it('agree with CONFIG GET of a server started with the same file; the files it refuses are usage errors', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', 'a.conf'), 'hash-max-listpack-entries 16\nzset-max-listpack-value 32\n');
    writeFileSync(join(dir, 'conf.d', 'b.conf'), 'hash-max-listpack-entries 8\n');
    const confs: Record<string, string> = {
      'none': 'port 6379\n',
      'old-names-later-wins': 'hash-max-ziplist-entries 256\nhash-max-listpack-entries 1024\nlist-max-ziplist-size -3\nzset-max-ziplist-entries 7\n',
      'units-on-values': 'hash-max-listpack-value 1kb\nzset-max-ziplist-value 2K\n',
      'quoted-case-crlf': 'ZSET-MAX-LISTPACK-ENTRIES "64"\r\nset-max-intset-entries \'100\'\r\n',
      'glob-include-then-override': `include ${join(dir, 'conf.d', '*.conf')}\nzset-max-listpack-value 48\n`,
      'list-positive': 'list-max-listpack-size 128\n',
      'units-on-entries': 'set-max-intset-entries 1k\n',
      'leading-zero': 'hash-max-listpack-entries 007\n',
      'plus-sign': 'zset-max-listpack-entries +5\n',
      'negative-entries': 'hash-max-listpack-entries -1\n',
      'negative-value': 'hash-max-listpack-value -1\n',
      'list-past-int': 'list-max-listpack-size 2147483648\n',
      'two-arguments': 'hash-max-listpack-entries 1 2\n',
      'spaced-value': 'hash-max-listpack-value " 1kb"\n',
      'fraction': 'zset-max-listpack-value 1.5kb\n',
    };
    const outcomes: Record<string, 'accepted' | 'refused'> = {};
    for (const [name, text] of Object.entries(confs)) {
      const conf = join(dir, `${name}.conf`);
      writeFileSync(conf, text);
      const server = await serverConfig(conf, dir, SERVER_NAMES);
      outcomes[name] = server === 'refused' ? 'refused' : 'accepted';
      if (server === 'refused') {
        expect(() => readEncodingConfig(conf), name).toThrow(UsageError);
        continue;
      }
      const ours = readEncodingConfig(conf);
      for (const n of SERVER_NAMES) expect(String(ours[ENCODING_DIRECTIVES[n]!.field]), `${name}: ${n}`).toBe(server[n]);
    }
    // The cases are not all accepted or all refused.
    expect(outcomes).toMatchObject({ 'units-on-values': 'accepted', 'glob-include-then-override': 'accepted', 'units-on-entries': 'refused', 'leading-zero': 'refused' });
  });
});

describe('thresholdValue', () => {
  const d = (name: string) => ENCODING_DIRECTIVES[name]!;
  it('takes units only on the hash and zset value sizes (MEMORY_CONFIG); Redis 7.2\'s set-max-listpack-value takes none', () => {
    expect(thresholdValue(d('hash-max-ziplist-value'), '1kb')).toBe(1024);
    expect(thresholdValue(d('zset-max-listpack-value'), '2m')).toBe(2_000_000);
    expect(thresholdValue(d('set-max-listpack-value'), '1kb')).toBe("argument couldn't be parsed into an integer");
    expect(thresholdValue(d('set-max-listpack-value'), '80')).toBe(80);
    expect(thresholdValue(d('set-max-listpack-entries'), '0')).toBe(0);
    expect(thresholdValue(d('hash-max-listpack-value'), 'lots')).toBe('argument must be a memory value');
  });
  it('keeps the directive\'s bounds: int for list-max-listpack-size, 0 to LONG_MAX for the sizes', () => {
    expect(thresholdValue(d('list-max-listpack-size'), '-2147483648')).toBe(-2147483648);
    expect(thresholdValue(d('list-max-listpack-size'), '-2147483649')).toBe('argument must be between -2147483648 and 2147483647 inclusive');
    expect(thresholdValue(d('hash-max-listpack-entries'), '9223372036854775807')).toBe(2 ** 63);
    expect(thresholdValue(d('hash-max-listpack-entries'), '9223372036854775808')).toBe("argument couldn't be parsed into an integer");
    expect(thresholdValue(d('hash-max-listpack-entries'), '-0')).toBe("argument couldn't be parsed into an integer");
  });
});

describe.skipIf(!cliBuilt)('--redis-conf on the command line', () => {
  const dump = join(FIXTURES_DIR, 'mixed-7.0.rdb');
  const hashtables = (out: string) => out.split('\n').filter((l) => l.includes('"encoding":"hashtable"')).length;

  it('keys follows an include; a threshold line Redis refuses is one usage error naming file and line, for keys and load alike', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', 'small.conf'), 'hash-max-listpack-entries 1\n');
    writeFileSync(join(dir, 'redis.conf'), 'port 6379\ninclude conf.d/*.conf\n');
    const plain = runCli(['keys', dump], dir);
    const included = runCli(['keys', dump, '--redis-conf', 'redis.conf'], dir);
    expect(included.code, included.stderr).toBe(0);
    expect(hashtables(included.stdout)).toBeGreaterThan(hashtables(plain.stdout));

    writeFileSync(join(dir, 'bad.conf'), '# thresholds\nset-max-intset-entries 1k\n');
    for (const args of [['keys', dump], ['load', dump, '--db', 'x.sqlite']]) {
      const r = runCli([...args, '--redis-conf', 'bad.conf'], dir);
      expect(r.code, args[0]).toBe(2);
      expect(r.stdout, args[0]).toBe('');
      expect(r.stderr, args[0]).toBe('rdbscope: --redis-conf: bad.conf line 2: set-max-intset-entries "1k": argument couldn\'t be parsed into an integer\n');
    }
  });
});
