// Hand-written catalog content from the project's `catalog/` folder: settings, domain and team pages, assets.
import fs from 'node:fs';
import path from 'node:path';
import type { InputWarning } from './inputs.ts';

export interface CatalogSettings {
  /** Site title. Default `Event catalog`. */
  readonly title: string;
  readonly tagline?: string;
  /** Saga path: event types or names in order (`OrderPlaced`, `orders.v1.OrderPlaced`). Default: events tagged `saga`. */
  readonly saga?: readonly string[];
  readonly sagaName: string;
  /** The flow page draws services and events as nodes up to this many events, the context graph beyond. */
  readonly detailedFlowMaxEvents: number;
}

export interface HandWrittenPage {
  /** Markdown source. */
  readonly source: string;
  /** Relative path, for messages. */
  readonly file: string;
  /** The first `# Heading`, if any. */
  readonly title?: string;
}

export interface CatalogContent {
  readonly settings: CatalogSettings;
  /** Intro shown on the home page (`catalog/index.md`). */
  readonly intro?: HandWrittenPage;
  /** `catalog/domains/<context>.md`, keyed by context. */
  readonly domains: ReadonlyMap<string, HandWrittenPage>;
  /** `catalog/teams/<team>.md`, keyed by team. */
  readonly teams: ReadonlyMap<string, HandWrittenPage>;
  /** Files under `catalog/assets/` (relative paths), copied to `assets/custom/`. */
  readonly assets: readonly string[];
  readonly warnings: readonly InputWarning[];
}

export const defaultSettings: CatalogSettings = {
  title: 'Event catalog',
  sagaName: 'Order saga',
  detailedFlowMaxEvents: 60,
};

function readPage(file: string, rel: string): HandWrittenPage {
  const source = fs.readFileSync(file, 'utf8');
  const title = /^#\s+(.+)$/m.exec(source)?.[1]?.trim();
  // The page renders its own h1, so drop a leading heading that repeats it.
  const body = title ? source.replace(/^#\s+.+\n?/m, '') : source;
  return { source: body, file: rel, ...(title ? { title } : {}) };
}

function readPages(dir: string, relDir: string): Map<string, HandWrittenPage> {
  const out = new Map<string, HandWrittenPage>();
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.md')) continue;
    out.set(name.slice(0, -3), readPage(path.join(dir, name), `${relDir}/${name}`));
  }
  return out;
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** Reads `catalog/` under the project root. A missing folder gives defaults; a bad catalog.json a warning. */
export function readCatalogContent(root: string, folder = 'catalog'): CatalogContent {
  const dir = path.join(root, folder);
  const warnings: InputWarning[] = [];
  let settings = defaultSettings;
  const settingsFile = path.join(dir, 'catalog.json');
  if (fs.existsSync(settingsFile)) {
    try {
      const raw = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
      const saga = Array.isArray(raw.saga)
        ? raw.saga.filter((s): s is string => typeof s === 'string')
        : undefined;
      settings = {
        title: typeof raw.title === 'string' ? raw.title : defaultSettings.title,
        sagaName: typeof raw.sagaName === 'string' ? raw.sagaName : defaultSettings.sagaName,
        detailedFlowMaxEvents:
          typeof raw.detailedFlowMaxEvents === 'number'
            ? raw.detailedFlowMaxEvents
            : defaultSettings.detailedFlowMaxEvents,
        ...(typeof raw.tagline === 'string' ? { tagline: raw.tagline } : {}),
        ...(saga ? { saga } : {}),
      };
    } catch (error) {
      warnings.push({
        file: `${folder}/catalog.json`,
        message: `ignored: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  const introFile = path.join(dir, 'index.md');
  return {
    settings,
    ...(fs.existsSync(introFile) ? { intro: readPage(introFile, `${folder}/index.md`) } : {}),
    domains: readPages(path.join(dir, 'domains'), `${folder}/domains`),
    teams: readPages(path.join(dir, 'teams'), `${folder}/teams`),
    assets: listFiles(path.join(dir, 'assets')),
    warnings,
  };
}
