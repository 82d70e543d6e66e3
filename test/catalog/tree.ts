import fs from 'node:fs';
import path from 'node:path';

/** Every file below `dir` as sorted paths relative to it (`events/x.html`). */
export function files(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}
