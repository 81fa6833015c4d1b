export { keyPattern, fixedDepthPattern } from './key-pattern.js';
export { DEFAULT_PATTERN_OPTIONS, DEFAULT_SEPARATORS, type PatternOptions } from './options.js';
export { generalizeSegment, isRandomToken } from './variable-segment.js';
