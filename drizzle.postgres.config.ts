import { defineConfig } from 'drizzle-kit';

/** PostgreSQL migrations (HEARTH_DATABASE_URL=postgres://…): `npm run db:generate:postgres`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres/schema.ts',
  out: './drizzle-postgres',
});
