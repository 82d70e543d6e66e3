// Where `eventkit auth` keeps secrets and how it writes them: a folder outside the repository (mode 0700),
// one nkey seed per user (mode 0600, written to a temp file and renamed, so a crash never leaves half a
// key), reused on every run so the config stays the same until a key is rotated.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { nkeys } from '@nats-io/nats-core';
import { AuthError } from './errors.ts';

/**
 * Default secrets folder of a project: `$XDG_STATE_HOME/eventkit/auth/<project>-<hash>` (or
 * `~/.local/state/…`): outside the repository, one per checkout.
 */
export function defaultSecretsDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  const root = resolve(projectRoot);
  const hash = createHash('sha256').update(root).digest('hex').slice(0, 8);
  return join(state, 'eventkit', 'auth', `${basename(root)}-${hash}`);
}

/** True when `dir` lies inside `root` (secrets there could be committed by accident). */
export function isInside(root: string, dir: string): boolean {
  const rel = relative(resolve(root), resolve(dir));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}

export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (error) {
    throw new AuthError('write-failed', `cannot create ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Write a file atomically (temp + rename) with the given mode. */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode: number): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, content, { mode });
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    throw new AuthError('write-failed', `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export const seedFileOf = (dir: string, user: string): string => join(dir, `${user}.nk`);

export interface UserKey {
  readonly user: string;
  readonly publicKey: string;
  readonly seedFile: string;
  /** Created on this run (new user or rotated). */
  readonly created: boolean;
}

/** Public key of the seed stored for `user`, or undefined when there is none. */
export function readUserKey(dir: string, user: string): string | undefined {
  const file = seedFileOf(dir, user);
  if (!existsSync(file)) return undefined;
  const seed = readFileSync(file, 'utf8').trim();
  try {
    return nkeys.fromSeed(new TextEncoder().encode(seed)).getPublicKey();
  } catch (error) {
    throw new AuthError(
      'bad-input',
      `${file} holds no valid nkey seed (${(error as Error).message}); delete it to generate a new key`,
      { cause: error },
    );
  }
}

/** The key of every user: the stored one, or a new one (also for users named in `rotate`). */
export function ensureUserKeys(
  dir: string,
  users: readonly string[],
  rotate: ReadonlySet<string>,
): UserKey[] {
  ensurePrivateDir(dir);
  return users.map((user) => {
    const seedFile = seedFileOf(dir, user);
    const stored = rotate.has(user) ? undefined : readUserKey(dir, user);
    if (stored) return { user, publicKey: stored, seedFile, created: false };
    const pair = nkeys.createUser();
    writeFileAtomic(seedFile, `${new TextDecoder().decode(pair.getSeed())}\n`, 0o600);
    return { user, publicKey: pair.getPublicKey(), seedFile, created: true };
  });
}
