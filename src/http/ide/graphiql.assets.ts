import path from 'node:path';
import { projectRoot } from '../project-root';

/** The files of the GraphiQL bundle that the page loads (scripts/build-graphiql.ts writes them). */
export const IDE_FILES = ['graphiql.js', 'graphiql.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js'] as const;

/** Where the GraphiQL bundle is built: dist/graphiql (`npm run build`, the tests' global setup). */
export const graphiqlAssetsDir = (): string => path.join(projectRoot(), 'dist', 'graphiql');
