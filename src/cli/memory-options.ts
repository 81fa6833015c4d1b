import type { Command } from 'commander';
import { DEFAULT_ENCODING_CONFIG, parseProfile } from '../memory/index.js';
import { readEncodingConfig } from './redis-conf-encoding.js';
import { modelFromSpec, type MemorySpec } from '../store/memory-spec.js';
import type { MemoryModel } from '../store/load-snapshot.js';
import type { RdbFileInfo } from '../rdb/file-info.js';
import { UsageError } from './exit.js';

export interface MemoryCliOptions {
  server?: string;
  redisConf?: string;
}

export function addMemoryOptions(cmd: Command): Command {
  return cmd
    .option('--server <profile>', 'server that will load the dump, for memory estimates (e.g. redis-7.2, redis-7.0-distro, valkey-8.1); default from the dump\'s redis-ver')
    .option('--redis-conf <file>', 'redis.conf of the loading server: its encoding thresholds (hash-max-listpack-entries …)');
}

/** The memory model factory for loadSnapshot, validating the options up front (usage errors). */
export function memoryModelFrom(options: MemoryCliOptions): (info: RdbFileInfo) => MemoryModel {
  return modelFromSpec(memorySpecFrom(options));
}

/** The memory model as plain data (what load workers get), validating the options (usage errors). */
export function memorySpecFrom(options: MemoryCliOptions): MemorySpec {
  if (options.server !== undefined) {
    try {
      parseProfile(options.server);
    } catch (err) {
      throw new UsageError(`--server: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const config = options.redisConf !== undefined ? readEncodingConfig(options.redisConf) : DEFAULT_ENCODING_CONFIG;
  return { server: options.server ?? null, config };
}
