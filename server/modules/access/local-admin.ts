// What a command and the server holding the embedded database agree on, in a file with no imports:
// the command reads it before it knows whether it will open a database at all.

/** The server's route for the operator and token commands (server/http/local-admin.ts). */
export const LOCAL_ADMIN_PATH = '/_local/admin';
/** The header that carries the secret. */
export const LOCAL_ADMIN_HEADER = 'x-hatch-local-admin';
/** The file in the data folder holding the secret the route asks for. */
export const LOCAL_ADMIN_SECRET_FILE = 'local-admin-token';
