// `eventkit auth --check`: the drift between what the spec grants and what a deployed config grants,
// user by user and subject by subject, plus keys that differ from the local seeds.
import { allowLists, type UserPermissions } from './permissions.ts';
import { type DeployedUser, hasAccountsBlock, parseAuthorization } from './server-config.ts';

export type DriftKind =
  | 'missing-user'
  | 'extra-user'
  | 'missing-grant'
  | 'extra-grant'
  | 'responses'
  | 'key'
  | 'accounts';

export interface AuthDrift {
  readonly kind: DriftKind;
  readonly user: string;
  /** `publish` / `subscribe` for grants. */
  readonly direction?: 'publish' | 'subscribe';
  readonly subject?: string;
  readonly message: string;
}

function compareLists(
  user: string,
  direction: 'publish' | 'subscribe',
  wanted: readonly string[],
  deployed: readonly string[],
): AuthDrift[] {
  const out: AuthDrift[] = [];
  const have = new Set(deployed);
  const want = new Set(wanted);
  for (const subject of wanted)
    if (!have.has(subject))
      out.push({
        kind: 'missing-grant',
        user,
        direction,
        subject,
        message: `${user} may not ${direction} ${subject} yet (the spec grants it)`,
      });
  for (const subject of deployed)
    if (!want.has(subject))
      out.push({
        kind: 'extra-grant',
        user,
        direction,
        subject,
        message: `${user} may still ${direction} ${subject} (the spec no longer grants it)`,
      });
  return out;
}

/**
 * Drift of a deployed config against the spec's users. `localKeys` (user → public key of the local
 * seed) adds key drift: a rotated key that is not deployed yet.
 */
export function authDrift(
  spec: readonly UserPermissions[],
  deployedText: string,
  file: string,
  localKeys: ReadonlyMap<string, string> = new Map(),
): AuthDrift[] {
  const drift: AuthDrift[] = [];
  if (hasAccountsBlock(deployedText))
    drift.push({
      kind: 'accounts',
      user: '*',
      message: `${file} has an accounts block next to authorization (the CVE-2023-47090 shape); eventkit writes authorization only`,
    });
  const deployed = new Map<string, DeployedUser>(
    parseAuthorization(deployedText, file).map((u) => [u.name, u]),
  );
  for (const user of spec) {
    const live = deployed.get(user.name);
    if (!live) {
      drift.push({ kind: 'missing-user', user: user.name, message: `${user.name} has no user in ${file}` });
      continue;
    }
    const lists = allowLists(user);
    drift.push(...compareLists(user.name, 'publish', lists.publish, live.publish));
    drift.push(...compareLists(user.name, 'subscribe', lists.subscribe, live.subscribe));
    if (user.allowResponses !== live.allowResponses)
      drift.push({
        kind: 'responses',
        user: user.name,
        message: `${user.name} ${user.allowResponses ? 'must' : 'must not'} be allowed to answer requests (allow_responses)`,
      });
    const local = localKeys.get(user.name);
    if (local && local !== live.nkey)
      drift.push({
        kind: 'key',
        user: user.name,
        message: `${user.name}'s key in ${file} is not the local seed's (rotated and not deployed yet?)`,
      });
  }
  const wanted = new Set(spec.map((u) => u.name));
  for (const name of deployed.keys())
    if (!wanted.has(name))
      drift.push({
        kind: 'extra-user',
        user: name,
        message: `${name} is in ${file} but not in the spec (revoke it)`,
      });
  return drift;
}
