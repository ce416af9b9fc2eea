// `chorus-collector`: flags and environment in, one line out for each thing a person needs to know.
import { ConfigError, parseCli, USAGE } from './config.js';
import { startCollector } from './index.js';

const NAME = 'chorus-collector';
/** How long SIGTERM lets requests in flight finish before their connections are cut. */
const GRACE_MS = 5_000;
/** How long closing may take in all (the store's close after the grace) before the process gives up. */
const CLOSE_TIMEOUT_MS = 10_000;

async function main() {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${NAME}: ${error.message} (see --help)`);
    process.exit(2);
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }

  let collector;
  try {
    collector = await startCollector(cli.options);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    console.error(`${NAME}: ${message}`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
  const { config } = collector;
  const sites = [...config.sites].map(([name, origins]) => `${name} (${origins.join(', ')})`);
  // One write, so whoever reads the output sees all of it at once.
  const lines = [
    `${NAME} listening on ${collector.url}`,
    `  store: ${collector.storage.description}`,
    sites.length ? `  sites: ${sites.join('; ')}` : `  sites: none, so every batch is refused: add --site NAME=ORIGIN`,
    `  dashboard: ${collector.url}/`,
    ...(config.tokenGenerated ? [`  admin token (generated; pass --token to keep one): ${config.token}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (signal: string) => {
    const timer = setTimeout(() => {
      console.error(`${NAME}: requests still in flight after ${CLOSE_TIMEOUT_MS / 1000} s, exiting anyway`);
      process.exit(1);
    }, CLOSE_TIMEOUT_MS);
    timer.unref();
    collector.close(GRACE_MS).then(
      () => {
        console.log(`${NAME}: ${signal}: stopped`);
        process.exit(0);
      },
      (error: Error) => {
        console.error(`${NAME}: ${signal}: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

await main();
