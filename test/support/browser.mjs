// End-to-end tests in Node: the system Chromium driven by puppeteer-core, pages served over HTTP.
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../../scripts/lib/chromium.mjs';

export function launchChromium() {
  return puppeteer.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
}

/** A fresh profile (own localStorage) with a page; page errors are collected, never ignored. */
export async function openPage(browser) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  return { context, page, errors };
}

export const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value or `timeout` ms pass; returns the last value. */
export async function waitFor(check, timeout = 10_000, interval = 50) {
  const until = Date.now() + timeout;
  let value;
  while (!(value = await check()) && Date.now() < until) await wait(interval);
  return value;
}
