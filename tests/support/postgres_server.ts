/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary directory, started
 * on a free loopback port with its unix socket in that directory, and one password-login
 * user owning one database. PostgreSQL refuses to run as root, so as root the server
 * programs run as the `postgres` system user.
 *
 * @module
 */
import { join } from "node:path";
import { freePort } from "./mlflow_server.ts";
import { runCommand } from "../../tools/run_command.ts";

/** A running cluster. */
export interface TestPostgres {
  /** `postgresql://<user>:<password>@127.0.0.1:<port>/<database>`, the password percent-encoded. */
  readonly uri: string;
  readonly port: number;
  readonly user: string;
  /** The user's password, as typed: tests check that it never leaks. */
  readonly password: string;
  readonly database: string;
  /** Runs SQL as the superuser in `database` and returns psql's unaligned, tuples-only output. */
  query(sql: string): Promise<string>;
  /** Stops the cluster and deletes its directory. */
  stop(): Promise<void>;
}

const USER = "mlflow";
const DATABASE = "mlflow";

/** Where `initdb`, `pg_ctl` and `psql` are, `undefined` if PostgreSQL is not installed. */
export async function postgresBinDir(): Promise<string | undefined> {
  const candidates: string[] = [];
  const config = await output("pg_config", ["--bindir"]);
  if (config !== undefined) candidates.push(config.trim());
  // Debian installs server versions side by side; prefer the newest.
  const versions: number[] = [];
  try {
    for await (const entry of Deno.readDir("/usr/lib/postgresql")) {
      if (/^\d+$/.test(entry.name)) versions.push(Number(entry.name));
    }
  } catch {
    // Not a Debian-style layout.
  }
  candidates.push(...versions.sort((a, b) => b - a).map((v) => `/usr/lib/postgresql/${v}/bin`));
  for (const dir of candidates) {
    if (await isFile(join(dir, "initdb")) && await isFile(join(dir, "pg_ctl"))) return dir;
  }
  return undefined;
}

/**
 * Why {@linkcode startPostgres} cannot work on this machine, or `undefined` if it can;
 * tests use it to skip with the reason in their name
 * (`Deno.test({ name: \`... (skipped: ${skip})\`, ignore: !!skip, fn })`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const skip = await postgresUnavailable();
 * assert.ok(skip === undefined || skip.length > 0); // a reason, for the skipped test's name
 * ```
 */
export async function postgresUnavailable(): Promise<string | undefined> {
  const bin = await postgresBinDir();
  if (bin === undefined) {
    return "PostgreSQL server binaries not found (pg_config --bindir, /usr/lib/postgresql/*/bin)";
  }
  if (!await isFile(join(bin, "psql")) && await output("psql", ["--version"]) === undefined) {
    return "psql not found";
  }
  if (Deno.uid() === 0) {
    if (await output("id", ["-u", "postgres"]) === undefined) {
      return "running as root and there is no postgres user to run PostgreSQL as";
    }
    if (await output("runuser", ["--help"]) === undefined) return "running as root without runuser";
  }
  return undefined;
}

/**
 * Starts a fresh cluster; takes a few seconds.
 *
 * @example
 * ```ts
 * const pg = await startPostgres();
 * try {
 *   console.log(await pg.query("SELECT version()"));
 * } finally {
 *   await pg.stop();
 * }
 * ```
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = await postgresBinDir();
  if (bin === undefined) throw new Error((await postgresUnavailable())!);
  const psqlPath = await isFile(join(bin, "psql")) ? join(bin, "psql") : "psql";
  const dir = await Deno.makeTempDir({ prefix: "pg_test_" });
  const owner = Deno.uid() === 0 ? await systemUser("postgres") : undefined;
  if (owner) await Deno.chown(dir, owner.uid, owner.gid);
  const dataDir = join(dir, "data");
  const logFile = join(dir, "postgres.log");
  const port = freePort();
  /** Runs a server program as the cluster's owner, in `dir` (the owner may not read the cwd). */
  const asOwner = (program: string, args: string[]) =>
    owner
      ? run("runuser", ["-u", "postgres", "--", join(bin, program), ...args], dir)
      : run(join(bin, program), args, dir);
  const pgCtl = (...args: string[]) => asOwner("pg_ctl", ["-D", dataDir, ...args]);
  const query = async (sql: string, database = DATABASE) =>
    (await run(psqlPath, [
      ...["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"],
      ...["-h", dir, "-p", `${port}`, "-U", "postgres", "-d", database, "-c", sql],
    ], dir)).trim();
  // Letters, digits and URI delimiters, no quote: it goes into SQL as a literal, and the
  // delimiters check that the URI is percent-encoded and the redaction still finds it.
  const password = `pw-${crypto.randomUUID().replaceAll("-", "")}@:/?`;
  let started = false;
  try {
    await asOwner("initdb", [
      ...["-D", dataDir, "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
      // The superuser connects through the socket without a password; the test user must
      // log in over TCP with its password, as a real MLflow deployment would.
      ...["--auth-local=trust", "--auth-host=scram-sha-256"],
    ]);
    const settings = [
      ...["-c", "listen_addresses=127.0.0.1", "-p", `${port}`, "-k", dir],
      // A test database need not survive a crash.
      ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    ].join(" ");
    await pgCtl("-l", logFile, "-w", "-t", "60", "-o", settings, "start");
    started = true;
    await query(`CREATE ROLE ${USER} LOGIN PASSWORD '${password}'`, "postgres");
    await query(`CREATE DATABASE ${DATABASE} OWNER ${USER}`, "postgres");
  } catch (error) {
    const log = await Deno.readTextFile(logFile).catch(() => "");
    if (started) await pgCtl("-m", "immediate", "-w", "stop").catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw new Error(`could not start a test PostgreSQL: ${(error as Error).message}\n${log}`);
  }
  return {
    uri: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    port,
    user: USER,
    password,
    database: DATABASE,
    query: (sql) => query(sql),
    async stop() {
      try {
        await pgCtl("-m", "fast", "-w", "stop");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  };
}

/** Runs `command` and returns its stdout; throws with its stderr if it fails. */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  const out = await runCommand(command, args, { cwd, timeoutMs: 120_000 });
  if (out.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${out.code}: ${out.stderr}`);
  }
  return out.stdout;
}

/** `command`'s stdout, `undefined` if it is missing or fails. */
async function output(command: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await runCommand(command, args, { timeoutMs: 30_000 });
    return out.code === 0 ? out.stdout : undefined;
  } catch {
    return undefined;
  }
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const uid = Number(await output("id", ["-u", name]));
  const gid = Number(await output("id", ["-g", name]));
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`no system user ${name}`);
  return { uid, gid };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
