/**
 * The end of a `load` or `export` line for a dump read a second time because its first keys pointed to
 * the other allocator build than the whole file (store/build-guess.ts), else ''. The second pass
 * doubles the time: the note names the --server that reads such dumps once.
 */
export function rereadNote(rereadWith: string | null): string {
  return rereadWith === null ? '' : ` (read twice: its first keys pointed to the other allocator build than the whole file; --server ${rereadWith} reads such dumps once)`;
}
