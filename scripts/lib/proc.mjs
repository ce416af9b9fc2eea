// What Linux's /proc says of a process, for the scripts and tests that watch or signal processes.
import { readFileSync, readdirSync } from 'node:fs';

/** The fields of /proc/PID/stat after the command's name (state, ppid, … utime at 11, stime at 12), or undefined once it is gone. */
export function procStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The processes running now, by pid. */
export const pids = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
