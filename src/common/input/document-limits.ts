import type { RequestHandler } from 'express';
import { Lexer, Source, TokenKind } from 'graphql';
import { AppError } from '../errors/app-error';
import { sendHttpError } from '../errors/client-error';

/**
 * Deepest nesting of braces, brackets and parentheses in a GraphQL document. graphql-js parses,
 * validates and executes documents recursively: past about 1,500 levels its parser exhausts the
 * stack. No real query nests deeper than a few dozen (selections, arguments, GeoJSON literals).
 */
export const MAX_DOCUMENT_NESTING = 64;

/**
 * Most tokens in a GraphQL document (comments not counted): far more than any query written by
 * hand, and a polygon of about 2,000 vertices written inline (larger ones belong in variables).
 * Parsing is linear, but validating is not: 50,000 tokens of one repeated field took graphql-js
 * 50 s to check for overlapping fields, 10,000 take 2 s. Also given to the parser as `maxTokens`.
 */
export const MAX_DOCUMENT_TOKENS = 10_000;

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Why a document is too deep or too long to parse, or undefined. Reads its tokens with
 * graphql-js's own lexer (iterative, so strings and comments count as they will for the parser);
 * a syntax error is left to the parser, which reports it with its location.
 */
export function documentProblem(query: string): string | undefined {
  if (query.length <= MAX_DOCUMENT_NESTING) return undefined;
  const lexer = new Lexer(new Source(query));
  let depth = 0;
  let tokens = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > MAX_DOCUMENT_TOKENS) {
        return `the document has more than ${MAX_DOCUMENT_TOKENS} tokens; send large values such as geometries as variables`;
      }
      if (OPENING.has(token.kind) && ++depth > MAX_DOCUMENT_NESTING) {
        return `the document nests selections, lists or objects more than ${MAX_DOCUMENT_NESTING} levels deep`;
      }
      if (CLOSING.has(token.kind)) depth--;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Refuses, before Apollo Server parses it, a GraphQL document (POST body or GET `query`) that is
 * nested too deep or too long: 400 QUERY_TOO_COMPLEX (like the operation limits) in the GraphQL error shape.
 */
export const documentLimits: RequestHandler = (req, res, next) => {
  const body = req.body as { query?: unknown } | undefined;
  const query = req.method === 'GET' ? req.query.query : body?.query;
  const problem = typeof query === 'string' ? documentProblem(query) : undefined;
  if (!problem) {
    next();
    return;
  }
  sendHttpError(res, new AppError('QUERY_TOO_COMPLEX', problem), () => undefined, 'GraphQL request', 'graphql');
};
