/**
 * Which server will load the file: MEMORY USAGE and OBJECT ENCODING depend on the loading server's
 * release and allocator build, not on the writer (rdb-format.md §9.7.9 recommendation).
 */
export interface ServerProfile {
  id: string;
  family: 'redis' | 'valkey';
  version: [number, number];
  /** jemalloc quantum: 8 for official builds, 16 for distro builds linking system jemalloc (§9.2). */
  quantum: 8 | 16;
}

/** Releases whose memory accounting we model (§9.4, §9.7.0). */
const KNOWN: Record<ServerProfile['family'], [number, number][]> = {
  redis: [
    [7, 0],
    [7, 2],
    [7, 4],
    [8, 0],
    [8, 2],
    [8, 4],
    [8, 6],
    [8, 8],
  ],
  valkey: [
    [8, 0],
    [8, 1],
    [9, 0],
    [9, 1],
  ],
};

function makeProfile(family: ServerProfile['family'], version: [number, number], quantum: 8 | 16): ServerProfile {
  const id = `${family}-${version[0]}.${version[1]}${quantum === 16 ? '-q16' : ''}`;
  return { id, family, version, quantum };
}

function cmp(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** The newest modelled release not newer than `v` (a 7.3 dev build behaves as 7.2), or null if `v` predates all. */
function nearestKnown(family: ServerProfile['family'], v: [number, number]): [number, number] | null {
  let best: [number, number] | null = null;
  for (const k of KNOWN[family]) if (cmp(k, v) <= 0) best = k;
  return best;
}

/**
 * `redis-7.0`, `redis-7.4.8`, `redis-7.0-q16`, `redis-7.0-distro` (Debian-style build, quantum 16),
 * `valkey-8.1`, `redis-7.2-q8`. Throws a plain Error with the accepted forms on bad input.
 */
export function parseProfile(s: string): ServerProfile {
  const m = /^(redis|valkey)-(\d+)\.(\d+)(?:\.\d+)?(?:-(q8|q16|distro|official))?$/i.exec(s.trim());
  const forms = `expected <redis|valkey>-<major>.<minor>[-q16|-distro], e.g. redis-7.4, redis-7.0-distro, valkey-8.1; modelled: ${listKnown()}`;
  if (!m) throw new Error(`bad server profile ${JSON.stringify(s)}: ${forms}`);
  const family = m[1]!.toLowerCase() as ServerProfile['family'];
  const asked: [number, number] = [Number(m[2]), Number(m[3])];
  const exact = KNOWN[family].find((k) => cmp(k, asked) === 0);
  if (!exact) throw new Error(`no memory model for ${family} ${asked.join('.')}: ${forms}`);
  const build = (m[4] ?? 'q8').toLowerCase();
  return makeProfile(family, exact, build === 'q16' || build === 'distro' ? 16 : 8);
}

function listKnown(): string {
  return (Object.keys(KNOWN) as ServerProfile['family'][])
    .flatMap((f) => KNOWN[f].map((v) => `${f}-${v.join('.')}`))
    .join(', ');
}

/**
 * Default profile from the writer's AUX fields (`valkey-ver` wins over `redis-ver`, which Valkey
 * also writes for compatibility), assuming an official build (quantum 8). Versions newer than any
 * model map to the newest one of the family; unknown or older ones to redis-7.0.
 */
export function profileFromAux(aux: { key: string; value: string }[]): ServerProfile {
  const get = (k: string) => aux.find((a) => a.key === k)?.value;
  const fallback = makeProfile('redis', [7, 0], 8);
  for (const [family, key] of [
    ['valkey', 'valkey-ver'],
    ['redis', 'redis-ver'],
  ] as const) {
    const v = get(key);
    if (v === undefined) continue;
    const m = /^(\d+)\.(\d+)/.exec(v);
    if (!m) return fallback;
    const near = nearestKnown(family, [Number(m[1]), Number(m[2])]);
    return near ? makeProfile(family, near, 8) : fallback;
  }
  return fallback;
}

export function atLeast(p: ServerProfile, major: number, minor: number): boolean {
  return cmp(p.version, [major, minor]) >= 0;
}
