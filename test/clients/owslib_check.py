"""Reads the OGC API through OWSLib, as a Python client does, and prints what it got as JSON.

Usage: owslib_check.py BASE_URL TOKEN CASES_JSON
CASES_JSON: {"name": ["collection", {items parameters}], ...}; a case whose request fails records
the server's answer (OWSLib raises RuntimeError with the response body).
Paging follows the `next` links by their cursor, through OWSLib's collection_items.
"""
import json
import sys
from urllib.parse import parse_qs, urlparse

from owslib.ogcapi.features import Features

base, token, cases = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
api = Features(base, headers={'Authorization': f'Bearer {token}'})

out = {
    'conformance': api.conformance()['conformsTo'],
    'collections': [c['id'] for c in api.collections()['collections']],
}
out['queryables'] = {c: api.collection_queryables(c) for c in out['collections']}

out['cases'] = {}
for name, (collection, params) in cases.items():
    params = dict(params)
    pages, ids, matched = 0, [], None
    try:
        while True:
            page = api.collection_items(collection, **params)
            pages += 1
            ids += [f['id'] for f in page['features']]
            matched = page.get('numberMatched')
            nxt = [link for link in page['links'] if link['rel'] == 'next']
            if not nxt:
                break
            params['cursor'] = parse_qs(urlparse(nxt[0]['href']).query)['cursor'][0]
        out['cases'][name] = {'ids': ids, 'matched': matched, 'pages': pages}
    except RuntimeError as err:
        out['cases'][name] = {'error': json.loads(str(err))}

print(json.dumps(out))
