import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import { TILE_LAYERS } from '../tiles/tile.layers';
import { projectRoot } from './project-root';
import { SDL_PATH } from './schema-sdl';

/** What GET / answers as JSON: the service, its version and where everything is. */
export interface ServiceIndex {
  service: string;
  description: string;
  version: string;
  graphql: { endpoint: string; ide: string; schema: string };
  ogcApiFeatures: string;
  map: string;
  tiles: { name: string; description: string; tileJson: string }[];
  /** Bulk import of layer files: POST a multipart upload here (a token that may write the layer). */
  imports: string;
  health: string;
}

function serviceIndex(req: Request, manifest: { name: string; description: string; version: string }): ServiceIndex {
  const base = `${req.protocol}://${req.get('host')}`;
  return {
    service: manifest.name,
    description: manifest.description,
    version: manifest.version,
    graphql: { endpoint: `${base}/graphql`, ide: `${base}/graphql`, schema: `${base}${SDL_PATH}` },
    ogcApiFeatures: `${base}/ogc`,
    map: `${base}/map`,
    tiles: TILE_LAYERS.map((l) => ({ name: l.name, description: l.description, tileJson: `${base}/tiles/${l.name}.json` })),
    imports: `${base}/imports`,
    health: `${base}/health`,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const link = (href: string, text = href) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

function html(index: ServiceIndex): string {
  const path = (url: string) => new URL(url).pathname;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>KBS GraphQL ${escapeHtml(index.version)}</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; } code { font-size: 0.9em; } li { margin: 0.2rem 0; }</style>
</head>
<body>
<h1>KBS GraphQL <small>${escapeHtml(index.version)}</small></h1>
<p>${escapeHtml(index.description)}.</p>
<h2>GraphQL</h2>
<ul>
<li>${link(path(index.graphql.ide), 'GraphiQL')}: an editor with the schema's docs and the README's examples (paste a token into Headers).</li>
<li>Endpoint: <code>POST ${escapeHtml(index.graphql.endpoint)}</code> (JSON), or <code>GET</code> with <code>?query=</code> and the header <code>apollo-require-preflight: true</code>.</li>
<li>${link(path(index.graphql.schema), 'The schema as SDL')} (with a token, as introspection).</li>
</ul>
<h2>Maps and GIS</h2>
<ul>
<li>${link(path(index.map), 'Map page')}: the layers as vector tiles in OpenLayers.</li>
<li>${link(path(index.ogcApiFeatures), 'OGC API - Features')}: the layers as GeoJSON, for QGIS and GDAL.</li>
<li>Vector tiles (TileJSON 3.0.0, for MapLibre and OpenLayers):
<ul>
${index.tiles.map((t) => `<li>${link(path(t.tileJson), t.name)}: ${escapeHtml(t.description)}</li>`).join('\n')}
</ul>
</li>
<li>Import: <code>POST ${escapeHtml(index.imports)}</code> takes a layer file (GeoJSON, GeoPackage, zipped Shapefile, CSV, KML) as a multipart upload with a token that may write the layer; the job is then <code>importJob(id:)</code> in GraphQL.</li>
</ul>
<p>${link(path(index.health), 'Health')} · the same as JSON: <code>curl -H 'accept: application/json' ${escapeHtml(new URL('/', index.graphql.endpoint).href)}</code></p>
</body>
</html>
`;
}

/** GET /: what the service is and where its parts are, as HTML for a browser and JSON for a program. */
export function indexPage(): RequestHandler {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { name: string; description: string; version: string };
  return (req, res) => {
    const index = serviceIndex(req, manifest);
    res.setHeader('vary', 'Accept');
    res.setHeader('cache-control', 'no-cache');
    // A client that takes anything (curl) gets JSON; a browser, which prefers HTML, the page.
    if (req.accepts(['json', 'html']) === 'html') res.type('html').send(html(index));
    else res.json(index);
  };
}
