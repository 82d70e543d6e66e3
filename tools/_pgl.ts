import { readFileSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

let t = Date.now();
const a = await PGlite.create('memory://');
console.log('initdb memory', Date.now() - t);
const dump = await a.dumpDataDir('none');
writeFileSync('/tmp/blank.tar', Buffer.from(await dump.arrayBuffer()));
await a.close();
t = Date.now();
const b = await PGlite.create({
  dataDir: 'memory://',
  loadDataDir: new Blob([readFileSync('/tmp/blank.tar')]),
});
console.log('load memory', Date.now() - t, (await b.query('select 1 as x')).rows);
