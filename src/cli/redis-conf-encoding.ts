import { DEFAULT_ENCODING_CONFIG, ENCODING_DIRECTIVES, type EncodingConfig, type EncodingDirective } from '../memory/index.js';
import { UsageError } from './exit.js';
import { parseMemorySize } from './memory-size.js';
import { readRedisConf } from './redis-conf.js';

/**
 * The encoding thresholds of the server a redis.conf starts (`--redis-conf` of keys, load, analyze,
 * export): Redis's defaults, overridden by the file's directives (redis-conf.ts readRedisConf,
 * includes followed, later lines win). A threshold line Redis would refuse to start with (a unit
 * on an integer setting, a value out of bounds, two arguments) is a usage error naming the file
 * and line, with Redis's reason: estimates made with a value the server never runs with would be
 * wrong without a word. Other directives are not looked at. `file` in bytes: a name that is not
 * UTF-8 (argv-bytes.ts).
 */
export function readEncodingConfig(file: string | Buffer): EncodingConfig {
  const out: EncodingConfig = { ...DEFAULT_ENCODING_CONFIG };
  readRedisConf(file, ({ name, values, where }) => {
    const directive = ENCODING_DIRECTIVES[name];
    if (directive === undefined) return;
    if (values.length !== 1) throw new UsageError(`${where}: ${name} takes one argument, got ${values.length}`);
    const value = thresholdValue(directive, values[0]!);
    if (typeof value === 'string') throw new UsageError(`${where}: ${name} ${JSON.stringify(values[0])}: ${value}`);
    out[directive.field] = value;
  });
  return out;
}

/**
 * A threshold's value as Redis's numericParseString reads it (`R:config.c`): memory units
 * (`memtoull`) for a MEMORY_CONFIG, else a plain integer (`string2ll`: an optional `-`, no leading
 * zero, no `+`), then the directive's bounds. Redis's error text when it refuses the value.
 */
export function thresholdValue(directive: EncodingDirective, text: string): number | string {
  let n: bigint;
  if (directive.memoryUnits) {
    const size = parseMemorySize(text);
    if (size === null || text !== text.trim()) return 'argument must be a memory value';
    n = BigInt(size);
  } else {
    // string2ll: at most 20 characters, "0" or an optional minus and a digit 1-9 first.
    if (text.length > 20 || !/^(?:0|-?[1-9][0-9]*)$/.test(text)) return "argument couldn't be parsed into an integer";
    n = BigInt(text);
    if (n < -(2n ** 63n) || n >= 2n ** 63n) return "argument couldn't be parsed into an integer";
  }
  if (n < directive.min || n > directive.max) return `argument must be between ${directive.min} and ${directive.max} inclusive`;
  return Number(n);
}
