import type { ResultTable } from '../output/result.js';
import { humanBytes, humanPercentOrDash } from '../output/human-units.js';
import { reconcileSnapshot } from './reconciliation.js';
import type { Report } from './report.js';
import { basisFor, col, describeSnapshot, pickSnapshot, share, snapshotFacts, snapshotLabels } from './scope.js';
import { ALARM_SHARE, FORK_HEADROOM_COMFORT, FORK_HEADROOM_MIN, MAX_RAM_SHARE } from './thresholds.js';

/**
 * Headroom: the dump's used memory against maxmemory (and the seed's 85% alarm), and against the
 * host's RAM for the fork of BGSAVE / AOF rewrite, whose copy-on-write can copy every page written
 * while it runs.
 */
export const capacity: Report = {
  name: 'capacity',
  help: 'used memory against --maxmemory (85% alarm, bytes left) and --ram (fork headroom, 80% of RAM): how much the dataset may still grow',
  accepts: ['snapshot', 'instance', 'maxmemory', 'ram'],
  metrics: { name: 'capacity', tables: ['capacity', 'fork_headroom'] },
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    const keysTotal = (db.prepare(`SELECT coalesce(sum(${b.statsColumn}), 0) FROM type_stats WHERE snapshot_id = ?`).pluck().get(snap.id) as number) ?? 0;
    // Without used-mem in the dump, the model's estimate of the loaded server stands in for it.
    const recon = reconcileSnapshot(db, snap, keysTotal, { withoutUsedMem: true });
    const explained = (recon?.rows[0]?.['explained'] as number | undefined) ?? null;
    // What the server holds: used-mem as the dump recorded it, else the model's explanation of it.
    const used = snap.used_mem ?? explained;
    const usedSource = snap.used_mem !== null ? 'used-mem from the dump' : explained !== null ? 'the memory model\'s estimate (the dump has no used-mem)' : null;
    const notes = [...describeSnapshot(snap), b.note];
    const maxmemory = options.maxmemory;
    const limited = maxmemory !== undefined && maxmemory > 0;

    const alarmAt = limited ? Math.floor(maxmemory * ALARM_SHARE) : null;
    const capacityTable: ResultTable = {
      name: 'capacity',
      title: 'Against maxmemory',
      vertical: true,
      columns: [
        col('used_mem', 'bytes', 'used memory when the dump was written (used-mem AUX field)'),
        col('estimated_used', 'bytes', 'what a server loading the dump would hold: key estimates, dict buckets, expires, an empty server'),
        col('key_estimates', 'bytes', 'sum of the per-key memory estimates'),
        col('maxmemory', 'bytes', 'the maxmemory setting given (0 = no limit)'),
        col('used_share', 'percent', 'used memory / maxmemory'),
        col('estimated_share', 'percent', 'estimated used memory / maxmemory'),
        col('alarm_at', 'bytes', `the alarm threshold, ${ALARM_SHARE * 100}% of maxmemory`),
        col('alarm_crossed', 'int', '1 when used memory is past the alarm threshold'),
        col('bytes_to_alarm', 'bytes', 'growth left before the alarm threshold'),
        col('bytes_to_maxmemory', 'bytes', 'growth left before maxmemory (then writes fail or keys are evicted)'),
      ],
      rows: [{
        used_mem: snap.used_mem, estimated_used: explained, key_estimates: b.estimated ? keysTotal : null, maxmemory: maxmemory ?? null,
        used_share: limited && used !== null ? share(used, maxmemory) : null,
        estimated_share: limited && explained !== null ? share(explained, maxmemory) : null,
        alarm_at: alarmAt,
        alarm_crossed: alarmAt !== null && used !== null ? (used > alarmAt ? 1 : 0) : null,
        bytes_to_alarm: alarmAt !== null && used !== null ? alarmAt - used : null,
        bytes_to_maxmemory: limited && used !== null ? maxmemory - used : null,
      }],
    };
    if (usedSource === null) notes.push('the dump records no used-mem and has no memory estimates: nothing to compare');
    else if (snap.used_mem === null) notes.push(`used memory: ${usedSource}`);
    if (maxmemory === undefined) {
      notes.push('no maxmemory given: add --maxmemory <size> (4gb, 512mb, bytes) or --redis-conf <redis.conf> for the headroom to maxmemory and the 85% alarm');
    } else if (maxmemory === 0) {
      notes.push('maxmemory 0: Redis has no memory limit and never evicts; the host\'s RAM (and the OS OOM killer) is the limit: give --ram');
    } else if (used !== null) {
      const s = used / maxmemory;
      notes.push(s >= 1 ? `at or past maxmemory (${humanPercentOrDash(s)}): writes fail with OOM under noeviction, or keys are evicted`
        : s > ALARM_SHARE ? `ALARM: used memory is ${humanPercentOrDash(s)} of maxmemory, past the ${ALARM_SHARE * 100}% alarm threshold; ${humanBytes(maxmemory - used)} left`
          : `${humanPercentOrDash(s)} of maxmemory used; ${humanBytes(alarmAt! - used)} to the ${ALARM_SHARE * 100}% alarm, ${humanBytes(maxmemory - used)} to maxmemory`);
    }
    if (options.maxmemoryPolicy) notes.push(`maxmemory-policy ${options.maxmemoryPolicy} (from redis.conf)`);

    const tables: ResultTable[] = [capacityTable];
    if (options.ram !== undefined) {
      const ram = options.ram;
      // Headroom h over used memory means used ≤ RAM / (1 + h); the 80% rule means used ≤ 0.8 · RAM.
      const ceiling = Math.min(ram / (1 + FORK_HEADROOM_MIN), ram * MAX_RAM_SHARE);
      const comfort = ram / (1 + FORK_HEADROOM_COMFORT);
      const headroom = used !== null && used > 0 ? (ram - used) / used : null;
      tables.push({
        name: 'fork_headroom',
        title: 'Host RAM and the fork of BGSAVE / AOF rewrite',
        vertical: true,
        columns: [
          col('ram', 'bytes', 'the host\'s RAM given'),
          col('used_mem', 'bytes', 'used memory (used-mem, else the estimate)'),
          col('ram_share', 'percent', `used memory / RAM (rule: at most ${MAX_RAM_SHARE * 100}%)`),
          col('headroom_share', 'percent', `RAM left over used memory, as a share of used memory (rule: ${FORK_HEADROOM_MIN * 100}–${FORK_HEADROOM_COMFORT * 100}%)`),
          col('fork_worst_case', 'bytes', 'memory if every page is copied during a fork: twice the used memory'),
          col('growth_allowed', 'bytes', `growth before the host breaks the ${FORK_HEADROOM_MIN * 100}% headroom / ${MAX_RAM_SHARE * 100}% of RAM rule`),
          col('growth_comfortable', 'bytes', `growth before the headroom falls under ${FORK_HEADROOM_COMFORT * 100}%`),
          col('maxmemory_ram_share', 'percent', 'maxmemory / RAM: above 80% the limit lets Redis outgrow the host'),
          col('rules_met', 'int', '1 when used memory keeps both rules'),
        ],
        rows: [{
          ram, used_mem: used, ram_share: used === null ? null : share(used, ram), headroom_share: headroom,
          fork_worst_case: used === null ? null : 2 * used,
          growth_allowed: used === null ? null : Math.floor(ceiling - used),
          growth_comfortable: used === null ? null : Math.floor(comfort - used),
          maxmemory_ram_share: limited ? share(maxmemory, ram) : null,
          rules_met: used === null ? null : used <= ceiling ? 1 : 0,
        }],
      });
      if (used !== null) {
        notes.push(used <= comfort ? `fork headroom ok: ${humanPercentOrDash(headroom)} of used memory is free on the host (${humanBytes(comfort - used)} of growth before it falls under ${FORK_HEADROOM_COMFORT * 100}%)`
          : used <= ceiling ? `fork headroom tight: ${humanPercentOrDash(headroom)} free over used memory (keep ${FORK_HEADROOM_MIN * 100}–${FORK_HEADROOM_COMFORT * 100}%); ${humanBytes(ceiling - used)} of growth left before ${MAX_RAM_SHARE * 100}% of RAM`
            : `fork headroom INSUFFICIENT: used memory is ${humanPercentOrDash(used / ram)} of RAM (rule: at most ${MAX_RAM_SHARE * 100}%); a BGSAVE under write load can run the host out of memory`);
      }
      if (limited && maxmemory > ram * MAX_RAM_SHARE) {
        notes.push(`maxmemory is ${humanPercentOrDash(maxmemory / ram)} of RAM: Redis may grow past ${MAX_RAM_SHARE * 100}% of the host before it stops or evicts; set it to at most ${humanBytes(Math.floor(ram * MAX_RAM_SHARE))}`);
      }
    } else {
      notes.push('no --ram given: fork headroom (BGSAVE / AOF rewrite copy-on-write) not checked');
    }
    return { report: 'capacity', notes, tables, labels: snapshotLabels(snap), snapshot: snapshotFacts(snap) };
  },
};
