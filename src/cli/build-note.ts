/**
 * The end of a `load` or `export` line when the dump's first keys could not settle its allocator
 * build (store/build-guess.ts), else '': either the dump was read a second time (the whole file
 * pointed to the other build than the first keys: the second pass doubles the time), or every key
 * was estimated under both builds and the load kept the one the whole file points to (produce-rows.ts
 * weighBothBuilds: ~20% of a load's time on the bench's mixed dump). Either way the note names the
 * --server that loads such dumps with one build from the start.
 */
export function buildNote(result: { rereadWith: string | null; weighedBoth?: string | null }): string {
  if (result.rereadWith !== null) {
    return ` (read twice: its first keys pointed to the other allocator build than the whole file; --server ${result.rereadWith} reads such dumps once)`;
  }
  const kept = result.weighedBoth ?? null;
  return kept === null ? '' : ` (both allocator builds weighed on every key: its first keys could not tell which one wrote it; --server ${kept} weighs one)`;
}
