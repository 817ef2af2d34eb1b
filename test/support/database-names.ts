export const ADMIN_ENV = 'TEST_ADMIN_DATABASE_URL';
export const TEMPLATE_ENV = 'TEST_TEMPLATE_DATABASE';

/** The URL as given; databases are created and dropped through it. */
export function adminUrlFor(serverUrl: string): string {
  return serverUrl;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
