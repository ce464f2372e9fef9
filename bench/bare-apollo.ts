/**
 * The baseline of the bench's fixed-cost case: a bare Apollo Server 5 on Express 5 with a
 * one-field schema, nothing else (no security headers, CORS, logging, limits or authentication),
 * run by bench/run.ts as a process of its own beside the API. PORT sets the port.
 */
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';

async function main(): Promise<void> {
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const port = Number(process.env.PORT ?? 4892);
  app.listen(port, '127.0.0.1', () => console.log(`bare Apollo Server on ${port}`));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
