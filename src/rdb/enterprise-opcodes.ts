/**
 * Opcodes only Redis Enterprise writes, in files with the REDIS magic, where other writers have value
 * types (ids below 200). Each carries one length that an open-source loader can ignore: 107 (RAM LRU)
 * before each key, 121 (slot number) — as librdb reads them (`redis/librdb src/lib/parser.c
 * __elementRamLru`, `__elementSlotNum`, opcodes `__RDB_OPCODE_RAM_LRU` / `__RDB_OPCODE_SLOT_NUM` in
 * `src/lib/defines.h`, PR #67). Any other unknown byte stays an error: lengths of unknown records are
 * not self-describing.
 */
export const ENTERPRISE_RAM_LRU = 107;
export const ENTERPRISE_SLOT_NUM = 121;
export const ENTERPRISE_OPCODES: ReadonlySet<number> = new Set([ENTERPRISE_RAM_LRU, ENTERPRISE_SLOT_NUM]);

/** How `info` names them. */
export const ENTERPRISE_OPCODE_NAMES: ReadonlyMap<number, string> = new Map([[ENTERPRISE_RAM_LRU, 'RAM LRU'], [ENTERPRISE_SLOT_NUM, 'slot number']]);
