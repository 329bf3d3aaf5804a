// The extension host of a code-server started by the benches, found through /proc, and its resident memory.
import { readFileSync, readdirSync } from 'node:fs';

/** Processes as pid → { ppid, cmdline, rssKb }. */
function processes() {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      all.set(Number(entry), { ppid: Number(/PPid:\s+(\d+)/.exec(status)?.[1]), cmdline, rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) });
    } catch {
      // The process ended while we looked.
    }
  }
  return all;
}

/** The extension host of this code-server (a descendant of the process started with our user-data dir). */
export function extensionHostPid(userDataDir) {
  const all = processes();
  const ours = (pid) => {
    for (let p = pid; p > 1 && all.has(p); p = all.get(p).ppid) if (all.get(p).cmdline.includes(userDataDir)) return true;
    return false;
  };
  const hosts = [...all.entries()].filter(([pid, p]) => p.cmdline.includes('--type=extensionHost') && ours(pid)).map(([pid]) => pid);
  if (hosts.length !== 1) throw new Error(`expected one extension host of this code-server, found ${hosts.length}`);
  return hosts[0];
}

export const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The median of 5 RSS samples a second apart, in MB. */
export async function medianRss(pid) {
  const samples = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssMb(pid));
    await pause(1000);
  }
  return samples.sort((a, b) => a - b)[2];
}
