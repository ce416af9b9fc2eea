// How every test launches the system Chromium: headless, and quiet on a machine with no internet
// (without the background-networking flags Chromium keeps dialling Google's hosts).
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const chromiumPath = () => {
  if (!process.env.CHROME_PATH) throw new Error('CHROME_PATH is not set: run the tests with `npm test`.');
  return process.env.CHROME_PATH;
};
