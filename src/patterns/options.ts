/** How keys are folded into patterns. */
export interface PatternOptions {
  /** Characters that separate key segments. */
  separators: string;
  /**
   * Fixed mode: keep the first `depth` segments split on the first separator and replace the rest with
   * `*` (redis-cli --bigkeys style prefixes). Null = infer variable segments (the default).
   */
  depth: number | null;
}

export const DEFAULT_SEPARATORS = ':/.|-_';

export const DEFAULT_PATTERN_OPTIONS: PatternOptions = { separators: DEFAULT_SEPARATORS, depth: null };

/**
 * Keys longer than this are cut before inference: a pattern names a family, and a multi-MB key would
 * otherwise make a multi-MB pattern (and the aggregate tables grow with key size).
 */
export const MAX_PATTERN_INPUT = 256;
