// ignoreBOM: a key's leading U+FEFF is part of its name (`\uFEFFuser:1` is not `user:1`); TextDecoder drops it by default.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const HEX = '0123456789abcdef';

/**
 * Input bytes past which the printable form is that of the first PRINTABLE_MAX_BYTES and a note of
 * how many follow. A key may be 512 MB (R:t_string.c checkStringLength), and its escaped form (up
 * to 4 characters a byte) would pass V8's longest string (2^29 - 24 characters) and end the
 * process; 64 MiB escape to at most 256 Mi characters. The exact bytes stay in KeyRecord.key / keyHex.
 */
export const PRINTABLE_MAX_BYTES = 64 << 20;

/**
 * The printable form of binary-safe bytes (keys, names): the UTF-8 text when the bytes are valid
 * UTF-8 without control characters, else the escaping `redis-cli` uses for binary (sdscatrepr:
 * \n \r \t \a \b \\ \" and \xHH for other non-printable bytes), without the surrounding quotes.
 * A key holding a backslash is escaped too (as `\\`), so a printed `\x00` always means a NUL byte,
 * never the four characters. The exact bytes are always available separately (KeyRecord.key / keyHex).
 * Bytes past `maxBytes` are left out, with a note of how many: `...(+N bytes)` (PRINTABLE_MAX_BYTES).
 */
export function printable(bytes: Uint8Array, maxBytes = PRINTABLE_MAX_BYTES): string {
  // The note in ASCII: a text of one-byte characters is stored with one byte each (V8), half the memory.
  if (bytes.length > maxBytes) return `${printable(bytes.subarray(0, maxBytes), maxBytes)}...(+${bytes.length - maxBytes} bytes)`;
  let plainAscii = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20 || b >= 0x7f || b === 0x5c) {
      plainAscii = false;
      break;
    }
  }
  if (plainAscii) return latin1(bytes);
  let text: string | null = null;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = null;
  }
  // eslint-disable-next-line no-control-regex
  if (text !== null && !/[\u0000-\u001f\u007f-\u009f\\]/.test(text)) return text;
  return escapeBinary(bytes);
}

/** Per byte value, its sdscatrepr escape (R:sds.c sdscatrepr), or the character itself. */
const ESCAPES: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  switch (b) {
    case 0x5c: return '\\\\';
    case 0x22: return '\\"';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    default: return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\x' + HEX[b >> 4] + HEX[b & 15];
  }
});

/** Escaped text is built as bytes here (ASCII only), then read as one string: no rope per byte. */
let scratch = Buffer.allocUnsafe(4096);

/** redis-cli's sdscatrepr escaping, without quotes. */
export function escapeBinary(bytes: Uint8Array): string {
  const need = 4 * bytes.length;
  const out = need <= scratch.length ? scratch : need <= 1 << 20 ? (scratch = Buffer.allocUnsafe(need)) : Buffer.allocUnsafe(need);
  let p = 0;
  for (let i = 0; i < bytes.length; i++) {
    const e = ESCAPES[bytes[i]!]!;
    for (let j = 0; j < e.length; j++) out[p++] = e.charCodeAt(j);
  }
  return out.toString('latin1', 0, p);
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]! >> 4]! + HEX[bytes[i]! & 15]!;
  return out;
}

function latin1(bytes: Uint8Array): string {
  if (bytes.length < 64) {
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
