import type { ApolloServerPlugin } from '@apollo/server';
import {
  BREAK,
  Kind,
  valueFromASTUntyped,
  visit,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { badInput } from '../errors/app-error';
import { textProblem } from './text';

/** Deepest nesting of lists and objects accepted in an argument's value (variables included). */
export const MAX_INPUT_DEPTH = 64;

interface Pending {
  value: unknown;
  depth: number;
  parent?: Pending;
  key?: string | number;
}

/** Where a value is in its argument, e.g. `filter.status[1]` (the first 12 steps of a deep one). */
const pathOf = (p: Pending): string => {
  const keys: (string | number)[] = [];
  for (let at: Pending | undefined = p; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
  const shown = keys.slice(0, 12).map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k));
  return `${shown.join('')}${keys.length > 12 ? '…' : ''}`;
};

/**
 * The first problem, in document order, of a value given to an argument: a string (or an object's
 * key) that is not acceptable text, or nesting deeper than MAX_INPUT_DEPTH. Walks without
 * recursion, so that no value exhausts the stack.
 */
export function inputProblem(argument: string, value: unknown): string | undefined {
  const stack: Pending[] = [{ value, depth: 0, key: argument }];
  while (stack.length) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return `${pathOf(item)} ${problem}`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (item.depth >= MAX_INPUT_DEPTH) return `${pathOf(item)} nests lists and objects more than ${MAX_INPUT_DEPTH} levels deep`;
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      if (typeof key === 'string') {
        const problem = textProblem(key);
        if (problem) return `${pathOf(item)}: the name of a member ${problem}`;
      }
      stack.push({ value: child, depth: item.depth + 1, parent: item, key });
    }
  }
  return undefined;
}

/** The operation and the fragments it uses, directly or through other fragments. */
function reachable(document: DocumentNode, operation: OperationDefinitionNode): ASTNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const nodes: ASTNode[] = [operation];
  const seen = new Set<string>();
  for (let i = 0; i < nodes.length; i++) {
    visit(nodes[i], {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          nodes.push(fragment);
        }
      },
    });
  }
  return nodes;
}

/**
 * Checks every argument value of the operation about to run, literal or variable, before any
 * resolver sees it: text rules (src/common/input/text.ts) and nesting depth. One place for every
 * argument of the schema, so a bad value never reaches SQL, and the message names the field and
 * the argument path (`cameras: filter.search contains ...`). A refusal is BAD_USER_INPUT with
 * HTTP 400, like a variable of the wrong type.
 */
export const inputGuardPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request, response }) {
        if (!operation) return;
        const problem = problemOf(document, operation, request.variables);
        if (problem) {
          response.http.status = 400;
          throw badInput(problem);
        }
      },
    };
  },
};

// Without variables, an operation's arguments are the document's alone: checked once per document.
const fixedProblems = new WeakMap<OperationDefinitionNode, string | undefined>();

/** The first problem of the operation's argument values, literal or variable. */
function problemOf(document: DocumentNode, operation: OperationDefinitionNode, given: Record<string, unknown> | undefined): string | undefined {
  const fixed = !operation.variableDefinitions?.length;
  if (fixed && fixedProblems.has(operation)) return fixedProblems.get(operation);
  const problem = firstProblem(document, operation, given);
  if (fixed) fixedProblems.set(operation, problem);
  return problem;
}

function firstProblem(document: DocumentNode, operation: OperationDefinitionNode, given: Record<string, unknown> | undefined): string | undefined {
  const variables: Record<string, unknown> = { ...(given ?? {}) };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables[name] === undefined && definition.defaultValue) variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  let problem: string | undefined;
  for (const node of reachable(document, operation)) {
    visit(node, {
      Argument(argument, _key, _parent, _path, ancestors) {
        // ancestors end with the field or directive whose arguments list holds this one.
        const owner = ancestors[ancestors.length - 1] as ASTNode | undefined;
        const where = owner?.kind === Kind.FIELD ? owner.name.value : owner?.kind === Kind.DIRECTIVE ? `@${owner.name.value}` : 'argument';
        problem = inputProblem(argument.name.value, valueFromASTUntyped(argument.value, variables));
        if (problem) {
          problem = `${where}: ${problem}`;
          return BREAK;
        }
        return false;
      },
    });
    if (problem) break;
  }
  return problem;
}
