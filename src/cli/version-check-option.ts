import { Option } from 'commander';

export interface VersionCheckCliOptions {
  relaxedVersionCheck?: boolean;
}

/**
 * `--relaxed-version-check`, on every command that reads dumps (info, keys, load, analyze): a header
 * version that no release writes is refused by default (UNSUPPORTED_VERSION at the version digits);
 * with the option the dump is read anyway and what it reports says so. Named after Valkey's
 * `rdb-version-check relaxed`, which does the same for its loader.
 */
export function relaxedVersionCheckOption(): Option {
  return new Option(
    '--relaxed-version-check',
    'read a dump whose RDB version no Redis/Valkey release writes (refused by default); the output then says so',
  );
}

export function relaxedVersionCheck(options: VersionCheckCliOptions): boolean {
  return options.relaxedVersionCheck === true;
}
