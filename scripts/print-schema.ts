/** `npm run schema`: writes schema/schema.graphql from the code (a test checks they agree). */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { schemaSdl } from '../src/schema';

const target = path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql');
schemaSdl()
  .then((sdl) => {
    fs.writeFileSync(target, sdl);
    console.log(`[kbs] wrote ${path.relative(process.cwd(), target)}`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
