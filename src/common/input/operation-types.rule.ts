import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * For GraphQL over HTTP: refuses a subscription (served over WebSocket at the same path, by
 * graphql-ws), and an operation whose type the schema does not have, as validation errors.
 * graphql-js 16 validates the fields of such an operation against nothing and only fails when
 * executing it, with an error that has no code; graphql-js 17 has this rule built in
 * (KnownOperationTypesRule).
 */
export function KnownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      if (node.operation === 'subscription') {
        context.reportError(
          new GraphQLError('subscriptions are served over WebSocket on this same path, in the graphql-ws protocol (graphql-transport-ws); send queries and mutations over HTTP', {
            nodes: node,
          }),
        );
        return false;
      }
      if (schema.getRootType(node.operation)) return undefined;
      context.reportError(new GraphQLError(`this API has no ${node.operation} operations; send a query or a mutation`, { nodes: node }));
      return false;
    },
  };
}
