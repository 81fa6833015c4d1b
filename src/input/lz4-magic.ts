/**
 * The magic numbers that start LZ4 input (lz4 doc/lz4_Frame_format.md, each little-endian): a frame
 * (0x184D2204), a legacy frame (0x184C2102, what `lz4 -l` writes) and a skippable frame
 * (0x184D2A50..5F). On their own, apart from the decoder: input detection (open-input.ts) needs them
 * for every dump, the decoder only for a compressed one.
 */
export const FRAME_MAGIC = 0x184d2204;
export const LEGACY_MAGIC = 0x184c2102;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

export function isSkippableMagic(magic: number): boolean {
  return (magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC;
}

/** True for the magic of any LZ4 frame: the `lz4` command decodes each from the first byte on, and after another. */
export function isLz4Magic(magic: number): boolean {
  return magic === FRAME_MAGIC || magic === LEGACY_MAGIC || isSkippableMagic(magic);
}
