// @ts-check
/**
 * A small pipelining RESP2 client over node:net, used only to talk to a redis-server the test
 * harness started itself. Binary safe: arguments may be Buffers, bulk replies come back as Buffers
 * (keys in RDB dumps are arbitrary bytes, so they must never pass through a string).
 *
 * Replies map as: simple string → string, error → rejected RespError, integer → number,
 * bulk string → Buffer (null bulk → null), array → array (null array → null).
 * Commands sent without awaiting are pipelined; replies are matched to calls in order.
 */
import net from 'node:net';

/** @typedef {string | number | Buffer | Uint8Array} RespArg */
/** @typedef {string | number | Buffer | null | RespReplyArray} RespReply */
/** @typedef {Array<RespReply>} RespReplyArray */

export class RespError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'RespError';
  }
}

/** Marker for "the buffer does not hold a whole reply yet". */
const INCOMPLETE = Symbol('incomplete');

/**
 * Parses one reply starting at `pos`.
 * @param {Buffer} buf
 * @param {number} pos
 * @returns {typeof INCOMPLETE | { value: RespReply | RespError, end: number }}
 */
function parseReply(buf, pos) {
  if (pos >= buf.length) return INCOMPLETE;
  const lineEnd = buf.indexOf('\r\n', pos);
  if (lineEnd < 0) return INCOMPLETE;
  const kind = buf[pos];
  const line = buf.toString('latin1', pos + 1, lineEnd);
  const next = lineEnd + 2;
  switch (kind) {
    case 0x2b: // '+'
      return { value: line, end: next };
    case 0x2d: // '-'
      return { value: new RespError(line), end: next };
    case 0x3a: // ':'
      return { value: Number(line), end: next };
    case 0x24: {
      // '$'
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return INCOMPLETE;
      return { value: Buffer.from(buf.subarray(next, next + len)), end: next + len + 2 };
    }
    case 0x2a: {
      // '*'
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      /** @type {RespReply[]} */
      const items = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at);
        if (item === INCOMPLETE) return INCOMPLETE;
        // An error nested in an array (e.g. EXEC) is kept as a value; callers rarely need it.
        items.push(item.value instanceof RespError ? item.value.message : item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new RespError(`protocol error: unexpected reply byte 0x${(kind ?? 0).toString(16)}`);
  }
}

/**
 * Encodes one command as a RESP array of bulk strings.
 * @param {RespArg[]} args
 */
function encodeCommand(args) {
  /** @type {Buffer[]} */
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' || typeof arg === 'number' ? Buffer.from(String(arg)) : Buffer.from(arg);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RespClient {
  /** @param {net.Socket} socket */
  constructor(socket) {
    /** @private */
    this.socket = socket;
    /** @private @type {{ resolve: (v: RespReply) => void, reject: (e: Error) => void }[]} */
    this.waiting = [];
    /** @private @type {Buffer} */
    this.buffer = Buffer.alloc(0);
    /** @private @type {Error | null} */
    this.failure = null;
    socket.on('data', (data) => this.onData(data));
    socket.on('error', (err) => this.failAll(err));
    socket.on('close', () => this.failAll(new RespError('connection closed')));
  }

  /**
   * Sends one command; resolves with its reply, rejects with RespError on an error reply.
   * @param {...RespArg} args
   * @returns {Promise<RespReply>}
   */
  call(...args) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  /**
   * Sends many commands at once and waits for all replies (in order).
   * @param {RespArg[][]} commands
   * @returns {Promise<RespReply[]>}
   */
  pipeline(commands) {
    return Promise.all(commands.map((c) => this.call(...c)));
  }

  /** Closes the connection; pending calls are rejected. */
  close() {
    this.socket.destroy();
  }

  /**
   * @private
   * @param {Buffer} data
   */
  onData(data) {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    let pos = 0;
    while (this.waiting.length > 0) {
      const reply = parseReply(this.buffer, pos);
      if (reply === INCOMPLETE) break;
      pos = reply.end;
      const waiter = /** @type {{ resolve: (v: RespReply) => void, reject: (e: Error) => void }} */ (this.waiting.shift());
      if (reply.value instanceof RespError) waiter.reject(reply.value);
      else waiter.resolve(reply.value);
    }
    this.buffer = pos === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(pos);
  }

  /**
   * @private
   * @param {Error} err
   */
  failAll(err) {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

/**
 * Opens a connection to host:port.
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<RespClient>}
 */
export function connectResp(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ port, host });
    socket.setNoDelay(true);
    const onError = (/** @type {Error} */ err) => reject(err);
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(new RespClient(socket));
    });
  });
}

/**
 * Pipelined writer for bulk loads into a test server: batches of ~10 k commands (or ~200 k
 * arguments), one batch in flight while the next one is built. (Its source text is part of the
 * bench dumps' cache key: bench/datasets.mjs.)
 */
export class Sender {
  /** @param {RespClient} client */
  constructor(client) {
    this.client = client;
    /** @type {RespArg[][]} */
    this.cmds = [];
    this.args = 0;
    /** @type {Promise<unknown>} */
    this.inFlight = Promise.resolve();
  }

  /** @param {RespArg[]} cmd */
  async send(cmd) {
    this.cmds.push(cmd);
    this.args += cmd.length;
    if (this.cmds.length >= 10_000 || this.args >= 200_000) await this.flush();
  }

  async flush() {
    const batch = this.cmds;
    this.cmds = [];
    this.args = 0;
    await this.inFlight;
    this.inFlight = batch.length ? this.client.pipeline(batch) : Promise.resolve();
  }

  async done() {
    await this.flush();
    await this.inFlight;
  }
}
