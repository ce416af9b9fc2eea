// What the end-to-end tests of a script-tag page start once per file: the system Chromium, a test
// site serving chorus.js, and a real HTTP collector on another origin.
import { launchChromium } from './browser.mjs';
import { startRecordingCollector } from './recording-collector.mjs';
import { startTestSite } from './test-site.mjs';

export async function startStack() {
  const [browser, site, collector] = await Promise.all([launchChromium(), startTestSite(), startRecordingCollector()]);
  const close = () => Promise.all([browser.close(), site.close(), collector.close()]);
  return { browser, site, collector, close };
}
