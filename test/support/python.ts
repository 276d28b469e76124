/**
 * A python3 that can import requests, for the tests that run Python clients: installs Debian's
 * python3-requests when it is missing (root and apt-get needed); otherwise says why there is none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function hasRequests(python: string): boolean {
  return spawnSync(python, ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
}

/** A python3 that can import requests, installing Debian's python3-requests if needed; or why there is none. */
export function findPython(): { python?: string; why?: string } {
  const candidates = ['python3', '/usr/bin/python3'];
  for (const p of candidates) if (hasRequests(p)) return { python: p };
  if (!existsSync('/usr/bin/apt-get')) return { why: 'python3 with requests is not installed and there is no apt-get to install it' };
  if (process.getuid?.() !== 0) return { why: 'python3 with requests is not installed and installing python3-requests needs root' };
  const opts = { stdio: 'ignore' as const, timeout: 180_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  let install = spawnSync('apt-get', ['install', '-y', '-q', 'python3-requests'], opts);
  if (install.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], opts);
    install = spawnSync('apt-get', ['install', '-y', '-q', 'python3-requests'], opts);
  }
  for (const p of candidates) if (hasRequests(p)) return { python: p };
  return { why: `apt-get install python3-requests failed (exit ${install.status ?? install.signal}), so python3 cannot import requests` };
}
