import fs from 'node:fs';
import path from 'node:path';
import { schemaSdl } from '../src/schema';

describe('schema/schema.graphql', () => {
  it('is what the code generates (run `npm run schema` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
    expect(await schemaSdl()).toBe(committed);
  });
});
