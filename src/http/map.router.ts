import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** The repository root: the nearest folder above this file holding public/map (src/ and dist/src/ alike). */
function findRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'public', 'map', 'index.html'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('public/map/index.html not found above ' + __dirname);
    dir = parent;
  }
}

/**
 * The map page at /map: static files from public/map, with OpenLayers' prebuilt bundle and
 * stylesheet and proj4's (for TUREF / TM39 coordinates and geodesic measures) served from
 * node_modules at /map/vendor (no CDN: the page works with no internet).
 */
export function mapRouter(): Router {
  const root = findRoot();
  const olDir = path.dirname(require.resolve('ol/package.json'));
  const proj4Dir = path.dirname(require.resolve('proj4/package.json'));
  // graphql-ws's package exports hide package.json: found from its main file instead.
  const graphqlWsDir = path.resolve(path.dirname(require.resolve('graphql-ws')), '..');
  const router = Router();
  router.get('/vendor/ol.js', (_req, res) => res.sendFile(path.join(olDir, 'dist', 'ol.js')));
  router.get('/vendor/ol.css', (_req, res) => res.sendFile(path.join(olDir, 'ol.css')));
  router.get('/vendor/proj4.js', (_req, res) => res.sendFile(path.join(proj4Dir, 'dist', 'proj4.js')));
  // The live updates' client (the browser build: window.graphqlWs).
  router.get('/vendor/graphql-ws.js', (_req, res) => res.sendFile(path.join(graphqlWsDir, 'umd', 'graphql-ws.min.js')));
  // /map and /map/ alike: the page names its files by absolute URL.
  router.get('/', (_req, res) => res.sendFile(path.join(root, 'public', 'map', 'index.html')));
  router.use(express.static(path.join(root, 'public', 'map'), { index: false, redirect: false }));
  return router;
}
