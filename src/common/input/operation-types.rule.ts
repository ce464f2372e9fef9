import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * Refuses an operation whose type the schema does not have (today: subscriptions), as a
 * validation error. graphql-js 16 validates the fields of such an operation against nothing and
 * only fails when executing it, with an error that has no code; graphql-js 17 has this rule
 * built in (KnownOperationTypesRule).
 */
export function KnownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      if (schema.getRootType(node.operation)) return undefined;
      context.reportError(
        new GraphQLError(`this API has no ${node.operation} operations${node.operation === 'subscription' ? ' (no subscriptions yet)' : ''}; send a query or a mutation`, {
          nodes: node,
        }),
      );
      return false;
    },
  };
}
