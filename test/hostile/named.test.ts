// Named examples of issue #13 that each get their own regression test: a gate that passed on a mistake,
// an internal error (exit 70) on user input, and a child tool that depended on the caller's directory.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  changedPaths,
  projectsOfThisFile,
  repoRoot,
  runMain,
  runProcess,
  snapshot,
  stackTrace,
} from './support.ts';

const project = projectsOfThisFile();

/** A JSON Schema message whose x-eventkit-type is code, not a type name. */
const notesWithBadType = `asyncapi: 3.0.0
info:
  title: Notes
  version: 1.0.0
  x-eventkit-service: notes
channels:
  noteAddedV1:
    address: notes.note-added.v1.{noteId}
    parameters:
      noteId: {}
    messages:
      NoteAdded:
        $ref: "#/components/messages/NoteAddedV1"
operations:
  publishNoteAdded:
    action: send
    channel:
      $ref: "#/channels/noteAddedV1"
    messages:
      - $ref: "#/channels/noteAddedV1/messages/NoteAdded"
components:
  messages:
    NoteAddedV1:
      name: NoteAdded
      contentType: application/json
      x-eventkit-type: "notes.v1.X'; process.exit(1); '"
      payload:
        type: object
        properties:
          text: { type: string }
`;

describe('breaking --against dir:/', () => {
  it('is not "compatible": a folder that is no eventkit project is exit 2, nothing to compare', async () => {
    const root = project();
    const run = await runMain(['-C', root, 'breaking', '--against', 'dir:/']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/ is not an eventkit project');
    expect(run.stdout + run.stderr).not.toMatch(/compatible:/);
    expect(run.stderr).not.toMatch(stackTrace);
  }, 60_000);
});

describe('x-eventkit-type that is not a type name', () => {
  it('is a lint error at its line, and codegen exits 2 writing nothing (not exit 70)', async () => {
    const root = project({ 'asyncapi/notes.yaml': notesWithBadType });
    const lint = await runMain(['-C', root, 'lint']);
    expect(lint.code).toBe(1);
    expect(lint.stdout + lint.stderr).toMatch(/asyncapi\/notes\.yaml:26:\d+ .*event-type-invalid/);
    const before = snapshot(path.dirname(root));
    const codegen = await runMain(['-C', root, 'codegen']);
    expect(codegen.code).toBe(2);
    expect(codegen.stderr).toContain('asyncapi/notes.yaml:26');
    expect(codegen.stderr).not.toMatch(stackTrace);
    expect(changedPaths(before, snapshot(path.dirname(root)))).toEqual([]);
  }, 60_000);
});

describe('codegen --emit-input pointing at an existing file', () => {
  it('is a usage error (exit 64) naming the file; the file and the project are untouched', async () => {
    const root = project({ 'existing.json': '{"keep": true}\n' });
    const before = snapshot(path.dirname(root));
    const run = await runMain(['-C', root, 'codegen', '--emit-input', 'existing.json']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain(
      `--emit-input ${path.join(root, 'existing.json')} exists and is not a folder`,
    );
    expect(run.stderr).not.toMatch(/internal error|EEXIST/);
    expect(changedPaths(before, snapshot(path.dirname(root)))).toEqual([]);
    expect(readFileSync(path.join(root, 'existing.json'), 'utf8')).toBe('{"keep": true}\n');
  }, 60_000);
});

describe('child tools run where the project is', () => {
  it('`cd / && eventkit -C <project> codegen --check` works in a project with its own biome.json', async () => {
    // The project's own root biome configuration used to clash with the caller's directory (exit 70).
    const root = project({
      'biome.json': readFileSync(path.join(repoRoot, 'biome.json'), 'utf8'),
    });
    expect((await runMain(['-C', root, 'codegen'])).code).toBe(0);
    const run = await runProcess(['-C', root, 'codegen', '--check'], { cwd: '/' });
    expect(run.stderr).not.toContain('Biome exited');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('up to date');
  }, 120_000);
});

describe('can-i-deploy', () => {
  it('an unknown --pacticipant is exit 2 and writes nothing', async () => {
    const root = project();
    const before = snapshot(path.dirname(root));
    const run = await runMain(['-C', root, 'can-i-deploy', '--pacticipant', 'nope', '--version', 'v1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown pacticipant "nope"');
    expect(changedPaths(before, snapshot(path.dirname(root)))).toEqual([]);
  });

  it('an invalid eventkit.config.json is exit 2 at its line, like every other command', async () => {
    const root = project();
    writeFileSync(path.join(root, 'eventkit.config.json'), '{\n  "asyncapi": 5\n}\n');
    const run = await runMain(['-C', root, 'can-i-deploy', '--pacticipant', 'shop', '--version', 'v1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/eventkit\.config\.json:2:\d+ "asyncapi" must be/);
    expect(existsSync(path.join(root, 'contracts'))).toBe(false);
  });
});
