// The GraphQL IDE at GET /graphql: GraphiQL 5, bundled by scripts/build-graphiql.ts (no CDN). The
// page gives its settings in <script id="kbs-ide-config" type="application/json">.
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { tryParseJSONC, useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import 'graphiql/style.css';

const config = JSON.parse(document.getElementById('kbs-ide-config').textContent);

// Monaco's workers are files of this server (worker-src 'self'), not blob: URLs.
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === 'json' ? 'json' : label === 'graphql' ? 'graphql' : 'editor';
    return new Worker(`${config.assets}/${name}.worker.js`, { name: `${name} worker` });
  },
};

/** The Authorization header in the headers editor's text: '' when none, undefined while the text is not JSON. */
function authorizationOf(text) {
  const headers = tryParseJSONC(text?.trim() || '{}');
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  return key ? String(headers[key]) : '';
}

/**
 * The headers of a request: the editor's, except an Authorization header that still holds the
 * template's placeholder, which is left out (the request is anonymous, as the page says).
 */
function requestHeaders(given) {
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (key.toLowerCase() === 'authorization' && String(value).includes(config.tokenPlaceholder)) continue;
    headers[key] = String(value);
  }
  return headers;
}

async function fetcher(params, options) {
  const res = await fetch(config.endpoint, { method: 'POST', headers: requestHeaders(options?.headers), body: JSON.stringify(params) });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${res.status} ${res.statusText}: ${text.slice(0, 200)}` }] };
  }
}

/**
 * Introspection (the docs, completion) is allowed only with a token by default: fetch the schema
 * again whenever the Authorization header changes, so pasting a token brings the docs.
 */
function SchemaFollowsToken() {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const { introspect } = useGraphiQLActions();
  useEffect(() => {
    if (!headerEditor) return undefined;
    let last = authorizationOf(headerEditor.getValue());
    let timer;
    const subscription = headerEditor.onDidChangeModelContent(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const now = authorizationOf(headerEditor.getValue());
        if (now === undefined || now === last) return;
        last = now;
        void introspect();
      }, 300);
    });
    return () => {
      clearTimeout(timer);
      subscription.dispose();
    };
  }, [headerEditor, introspect]);
  return null;
}

/**
 * Turkish names (Köprübaşı, İSTASYON) are not confusable characters: Monaco would box every
 * dotless ı and dotted İ as "ambiguous" in the operations and the answers.
 */
function TurkishTextIsPlainText() {
  const editors = useGraphiQL((state) => [state.queryEditor, state.variableEditor, state.headerEditor, state.responseEditor]);
  useEffect(() => {
    for (const editor of editors) editor?.updateOptions({ unicodeHighlight: { ambiguousCharacters: false } });
  }, editors);
  return null;
}

function App() {
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={[{ query: config.examples, headers: config.headers }]}
      defaultHeaders={config.headers}
      defaultEditorToolsVisibility="headers"
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>
        <a href="/" className="kbs-home" title="KBS GraphQL: the service's index page">KBS GraphQL</a>
        <SchemaFollowsToken />
        <TurkishTextIsPlainText />
      </GraphiQL.Logo>
    </GraphiQL>
  );
}

createRoot(document.getElementById('graphiql')).render(<App />);
