// Writes the site into a temporary folder next to the output and swaps it in at the end,
// so a failed or interrupted build never leaves a half-written site behind.
import fs from 'node:fs';
import path from 'node:path';
import { CatalogError } from './errors.ts';

const MAX_IN_FLIGHT = 32;
let swaps = 0;

/** A folder we may replace: missing, empty, or a catalog we built before (it has our marker file). */
export const MARKER = '.eventkit-catalog';

export function assertReplaceable(outDir: string, projectRoot: string): void {
  const out = path.resolve(outDir);
  const root = path.resolve(projectRoot);
  const rel = path.relative(out, root);
  if (out === path.parse(out).root || rel === '' || !rel.startsWith('..')) {
    throw new CatalogError(
      'output-unsafe',
      `refusing to write the catalog to ${outDir}: it contains the project (${projectRoot}); choose a folder such as dist/catalog`,
    );
  }
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory())
    throw new CatalogError('output-unsafe', `${outDir} is a file; choose a folder for the catalog`);
  const entries = fs.readdirSync(out);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new CatalogError(
      'output-unsafe',
      `${outDir} already holds files that eventkit did not write; empty it or choose another --out folder`,
    );
  }
}

/**
 * Bounded, counted file writes under one folder. The build's `SiteWriter` is one; a render worker writes its
 * pages into the same temporary folder through its own.
 */
export class FileSink {
  files = 0;
  bytes = 0;
  private readonly dirs = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: CatalogError | undefined;

  /**
   * `sync`: write on the calling thread. A render worker does: it has nothing else to do meanwhile, and on a
   * machine with few cores libuv's threads would only compete with the threads that render.
   */
  constructor(
    readonly dir: string,
    private readonly sync = false,
  ) {
    this.dirs.add(dir);
  }

  /**
   * Queues a file write. Writes run on libuv's thread pool while the next page renders; at most
   * `MAX_IN_FLIGHT` are pending so memory stays flat however large the site.
   */
  async write(rel: string, data: string | Uint8Array): Promise<void> {
    const file = this.target(rel);
    // Encode once: counting the bytes of a string and letting writeFile encode it scans every page twice.
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.files++;
    this.bytes += bytes.byteLength;
    if (this.sync) {
      try {
        fs.writeFileSync(file, bytes);
      } catch (error) {
        throw this.writeError(file, error);
      }
      return;
    }
    // The callback API: fs.promises.writeFile goes through a FileHandle and costs noticeably more per file.
    await this.queue(file, (done) => fs.writeFile(file, bytes, done));
  }

  /** Queues a copy of a file of `size` bytes (the kernel copies it; the bytes never enter JavaScript). */
  async copy(rel: string, from: string, size: number): Promise<void> {
    const file = this.target(rel);
    this.files++;
    this.bytes += size;
    await this.queue(file, (done) => fs.copyFile(from, file, done));
  }

  private target(rel: string): string {
    const file = path.join(this.dir, rel);
    const dir = path.dirname(file);
    if (!this.dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    return file;
  }

  private writeError(file: string, error: unknown): CatalogError {
    return new CatalogError(
      'write-failed',
      `cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }

  private async queue(file: string, start: (done: (error: Error | null) => void) => void): Promise<void> {
    const pending = new Promise<void>((resolve) => {
      start((error) => {
        if (error) this.failure ??= this.writeError(file, error);
        resolve();
      });
    });
    this.inFlight.add(pending);
    void pending.finally(() => this.inFlight.delete(pending));
    if (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }

  /** Waits for every queued write; throws the first write error. */
  async flush(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }

  /** Waits for every queued write, ignoring errors (before deleting what was written). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.inFlight);
  }
}

export class SiteWriter extends FileSink {
  constructor(
    readonly outDir: string,
    sync = false,
  ) {
    const out = path.resolve(outDir);
    super(path.join(path.dirname(out), `.${path.basename(out)}.building-${process.pid}`), sync);
    fs.rmSync(this.tmpDir, { recursive: true, force: true });
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  /** The temporary folder the site is built in (renamed into place by `commit`). */
  get tmpDir(): string {
    return this.dir;
  }

  /** Counts files another writer (a render worker) put into `tmpDir`. */
  account(files: number, bytes: number): void {
    this.files += files;
    this.bytes += bytes;
  }

  /** Moves the finished site into place; the previous site is removed only after the new one is there. */
  async commit(): Promise<void> {
    await this.write(MARKER, 'Built by `eventkit catalog`. This folder is replaced on every build.\n');
    await this.flush();
    const out = path.resolve(this.outDir);
    const old = path.join(path.dirname(out), `.${path.basename(out)}.old-${process.pid}-${++swaps}`);
    fs.rmSync(old, { recursive: true, force: true });
    if (fs.existsSync(out)) fs.renameSync(out, old);
    try {
      fs.renameSync(this.tmpDir, out);
    } catch (error) {
      if (fs.existsSync(old)) fs.renameSync(old, out);
      throw new CatalogError(
        'write-failed',
        `cannot move the new site into ${out}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    // The new site is already in place; the old one goes in the background.
    this.cleanup = fs.promises.rm(old, { recursive: true, force: true }).catch(() => {});
  }

  /** Resolves when the previous site has been deleted. */
  cleanup: Promise<void> = Promise.resolve();

  async abort(): Promise<void> {
    await this.settle();
    fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
