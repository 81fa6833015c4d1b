const utf8 = new TextDecoder('utf-8', { fatal: true });
const HEX = '0123456789abcdef';

/**
 * The printable form of binary-safe bytes (keys, names): the UTF-8 text when the bytes are valid
 * UTF-8 without control characters, else the escaping `redis-cli` uses for binary (sdscatrepr:
 * \n \r \t \a \b \\ \" and \xHH for other non-printable bytes), without the surrounding quotes.
 * A key holding a backslash is escaped too (as `\\`), so a printed `\x00` always means a NUL byte,
 * never the four characters. The exact bytes are always available separately (KeyRecord.key / keyHex).
 */
export function printable(bytes: Uint8Array): string {
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

/** redis-cli's sdscatrepr escaping, without quotes. */
export function escapeBinary(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    switch (b) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\x' + HEX[b >> 4] + HEX[b & 15];
    }
  }
  return out;
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
