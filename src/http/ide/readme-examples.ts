import { Kind, parse, type DefinitionNode, type OperationDefinitionNode } from 'graphql';

/** One operation from a ```graphql block of the README, named so that GraphiQL can run it. */
export interface ReadmeExample {
  /** The heading the block is under. */
  section: string;
  /** The operation's name: its own, or one made from the section (queries) or the root field (mutations). */
  name: string;
  /** The operation as the README has it, with the comment lines just above it and the name put in. */
  text: string;
  /** README line where the block starts (1-based). */
  line: number;
}

interface Block {
  section: string;
  line: number;
  source: string;
}

const FENCE = /^\s*```/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/** The ```graphql blocks of a Markdown text, each with the heading it is under. */
export function graphqlBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i])) {
      const heading = HEADING.exec(lines[i]);
      if (heading) section = heading[2];
      continue;
    }
    const graphql = /^\s*```\s*graphql\s*$/i.test(lines[i]);
    const start = i + 1;
    do i++;
    while (i < lines.length && !FENCE.test(lines[i]));
    if (graphql) blocks.push({ section, line: start, source: lines.slice(start, i).join('\n') });
  }
  return blocks;
}

const pascal = (text: string) =>
  text
    .replace(/['’]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('') || 'Example';

/** Where a definition's text begins: the comment lines directly above it (no blank line between) belong to it. */
function startWithComments(source: string, definition: DefinitionNode): number {
  let start = source.lastIndexOf('\n', definition.loc!.start - 1) + 1;
  for (;;) {
    if (start === 0) return start;
    const previous = source.lastIndexOf('\n', start - 2) + 1;
    if (!source.slice(previous, start - 1).trim().startsWith('#')) return start;
    start = previous;
  }
}

/**
 * The README's GraphQL examples, one operation each, in README order. A block that holds several
 * operations (the spatial filters) gives several; anonymous operations get a name, so that they can
 * stand side by side in one document. graphql-js parses each block: one that does not parse throws.
 */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  const used = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    return name;
  };
  for (const block of graphqlBlocks(markdown)) {
    const document = parse(block.source);
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    // A block with fragments stays whole: its operations use them.
    if (operations.length !== document.definitions.length) {
      examples.push({ section: block.section, name: unique(pascal(block.section)), text: block.source.trim(), line: block.line });
      continue;
    }
    const starts = operations.map((op) => startWithComments(block.source, op));
    operations.forEach((op, i) => {
      const from = starts[i];
      let text = block.source.slice(from, starts[i + 1] ?? block.source.length);
      let name = op.name?.value;
      if (!name) {
        const rootField = op.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
        name = unique(op.operation === 'query' || !rootField ? pascal(block.section) : pascal(rootField.name.value));
        const at = op.loc!.start - from;
        // `{ … }` becomes `query Name { … }`; `mutation { … }` becomes `mutation Name { … }`.
        text = text.startsWith('{', at) ? `${text.slice(0, at)}query ${name} ${text.slice(at)}` : `${text.slice(0, at + op.operation.length)} ${name}${text.slice(at + op.operation.length)}`;
      } else used.add(name);
      examples.push({ section: block.section, name, text: text.trim(), line: block.line });
    });
  }
  return examples;
}

/**
 * The examples as one GraphQL document, under comments naming their README section; `first`
 * (operation names) come first. GraphiQL runs the operation the cursor is in.
 */
export function examplesDocument(examples: ReadmeExample[], first: string[] = []): string {
  const rank = (e: ReadmeExample) => (first.includes(e.name) ? first.indexOf(e.name) : first.length);
  const ordered = examples.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map(({ e }) => e);
  const parts: string[] = [];
  let section: string | undefined;
  for (const example of ordered) {
    if (example.section !== section) {
      section = example.section;
      parts.push(`# ---- README: ${section} ----`);
    }
    parts.push(`${example.text}\n`);
  }
  return parts.join('\n');
}
