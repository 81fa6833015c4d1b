/**
 * Public face of the RDB layer: parse a byte stream into key records plus file info.
 *
 *   const parse = parseRdb(chunks, { fileName });
 *   for await (const batch of parse.batches()) { ... }   // arrays of records, each its own object
 *   await parse.visit((rec) => { ... })                  // fastest: one reused record (key bytes too), valid per call
 *   for await (const rec of parse) { ... }               // convenience: one record at a time
 *   parse.info                                           // header, AUX, checksum, completeness
 * (one of the three per parse).
 *
 * On bad input the iteration throws an RdbError after every record decoded before the fault has
 * been yielded; `info.complete` is then false and `info.error` holds the error.
 */
export { parseRdb, RdbParse } from './parser.js';
export type { ChecksumSource, ParseOptions, SizedSource } from './parser.js';
export type { CompactLimits } from './values/decoder.js';
export type { RdbFileInfo, ChecksumOutcome, FunctionInfo } from './file-info.js';
export { auxValue } from './file-info.js';
