/**
 * For tests that bound what a parse allocates: the largest Uint8Array made by length while a
 * function runs (Uint8Array replaced by a subclass that records it, put back afterwards).
 */

/** The Uint8Array constructor itself, for test data made while a spy runs. */
export const OriginalUint8Array = globalThis.Uint8Array;

/** Runs `fn`, and returns its result with the largest Uint8Array length allocated meanwhile. */
export async function largestAllocation<T>(fn: () => Promise<T>): Promise<{ result: T; largest: number }> {
  let largest = 0;
  class SpyU8 extends OriginalUint8Array {
    constructor(...args: unknown[]) {
      if (typeof args[0] === 'number') largest = Math.max(largest, args[0]);
      super(...(args as [number]));
    }
  }
  globalThis.Uint8Array = SpyU8 as typeof Uint8Array;
  try {
    return { result: await fn(), largest };
  } finally {
    globalThis.Uint8Array = OriginalUint8Array;
  }
}
