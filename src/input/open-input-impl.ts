import type { Readable } from 'node:stream';
import { RdbError } from '../core/errors.js';
import type { OpenedInput } from './open-input.js';

// PLACEHOLDER until the input layer lands.
export async function openInput(pathOrStream: string | Readable, name?: string): Promise<OpenedInput> {
  throw new RdbError('IO', `input layer not implemented (${name ?? String(pathOrStream)})`);
}
