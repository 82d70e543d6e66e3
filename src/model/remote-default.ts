// Whether remote (http/https) `$ref`s are fetched when a load does not say: off, unless the CLI's global
// `--allow-remote` turned it on. A module of its own so the CLI can set it without loading the parser.
let allowed = false;

export function setRemoteRefsAllowed(value: boolean): void {
  allowed = value;
}

export function remoteRefsAllowed(): boolean {
  return allowed;
}
