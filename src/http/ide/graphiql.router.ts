import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request } from 'express';
import type { Audience } from '../../config';
import { projectRoot } from '../project-root';
import { graphiqlAssetsDir, IDE_FILES } from './graphiql.assets';
import { examplesDocument, readmeExamples } from './readme-examples';

/** Where the page's scripts, styles and Monaco's workers are served. */
export const IDE_ASSETS_PATH = '/graphql/ide';
/** What the headers template holds until a token is pasted over it; the page then sends no Authorization. */
export const TOKEN_PLACEHOLDER = '<token>';

/**
 * Whether a GET of /graphql is a person's browser opening it (the IDE), not a GraphQL request: no
 * `query` (a GET with one is executed, whatever it accepts) and HTML preferred to JSON.
 */
export function wantsIde(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.query.query !== undefined || req.query.extensions !== undefined) return false;
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script> element: `<` escaped, so no `</script>` can end it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The first tab's text: how to log in and run an example, then the README's examples. */
function examplesText(version: string, introspection: Audience): string {
  let examples = '';
  try {
    examples = examplesDocument(readmeExamples(fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8')), ['Login']);
  } catch {
    // A deployment without its README (or with an example that does not parse) still gets the IDE.
  }
  const docs =
    introspection === 'everyone'
      ? ['# The docs (introspection) are open to everyone on this server.']
      : introspection === 'authenticated'
        ? ['# The docs and completion (introspection) need a token: they load', '# as soon as you paste one.']
        : ['# This server answers no introspection (KBS_INTROSPECTION=nobody):', '# no docs, no completion.'];
  return [
    `# KBS GraphQL ${version}: the examples of the README, each a named`,
    '# operation. Put the cursor in one and press Ctrl-Enter (or press the',
    '# run button and pick it by name).',
    '#',
    '# Without a token a request reads only the public (e-Belediye) subset.',
    '# To log in, run "Login" below (a sample account of the README), copy',
    `# its accessToken and paste it over ${TOKEN_PLACEHOLDER} in Headers (below). While`,
    `# Headers say ${TOKEN_PLACEHOLDER}, no Authorization header is sent.`,
    ...docs,
    '',
    examples || '{ orgUnits { code name } }\n',
  ].join('\n');
}

function page(version: string, introspection: Audience): string {
  const config = {
    endpoint: '/graphql',
    assets: IDE_ASSETS_PATH,
    examples: examplesText(version, introspection),
    headers: `{\n  "Authorization": "Bearer ${TOKEN_PLACEHOLDER}"\n}`,
    tokenPlaceholder: TOKEN_PLACEHOLDER,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>KBS GraphQL ${escapeHtml(version)}: GraphiQL</title>
<link rel="stylesheet" href="${IDE_ASSETS_PATH}/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; } .kbs-home { color: inherit; text-decoration: none; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="kbs-ide-config" type="application/json">${scriptJson(config)}</script>
<script src="${IDE_ASSETS_PATH}/graphiql.js"></script>
</body>
</html>
`;
}

/**
 * The GraphQL IDE at GET /graphql for a browser (GraphiQL 5, bundled into dist/graphiql by
 * scripts/build-graphiql.ts and served from /graphql/ide: no CDN), in place of Apollo Server's
 * landing page, which loads its code from Apollo's CDN. A GET with a `query` goes on to Apollo.
 */
export function graphiqlRouter(options: { version: string; introspection: Audience }): Router {
  const dir = graphiqlAssetsDir();
  const router = Router();
  let html: string | undefined;
  router.get('/', (req, res, next) => {
    if (!wantsIde(req)) return next();
    res.setHeader('vary', 'Accept');
    res.setHeader('cache-control', 'no-cache');
    if (!IDE_FILES.every((f) => fs.existsSync(path.join(dir, f)))) {
      res.status(503).type('text/plain').send('The GraphQL IDE is not built: run `npm run build` (GraphQL itself answers at POST /graphql).\n');
      return;
    }
    res.type('html').send((html ??= page(options.version, options.introspection)));
  });
  router.use('/ide', express.static(dir, { index: false, redirect: false, dotfiles: 'ignore' }), (req, res) => {
    res.status(404).json({ errors: [{ message: `no such file of the GraphQL IDE: ${req.path}`, extensions: { code: 'NOT_FOUND' } }] });
  });
  return router;
}
