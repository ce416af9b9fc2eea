// `npm run wordpress`: builds, starts a real WordPress on this machine (the test harness's: Debian's
// WordPress 6.1, a private MariaDB, php -S) with the built plugin zip installed and active, a collector
// for it, and a post that shows every Chorus shortcode and block and the content of the plugins Chorus
// takes over; prints where to look and the admin login. Ctrl+C stops it and throws everything away.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, root } from './lib/setup.mjs';
import { freePort } from './lib/postgres.mjs';

build();
const { startWordPress } = await import('../packages/wordpress/test/harness.mjs');
const { startCollector } = await import('@chorus/collector');

const started = Date.now();
const port = Number(process.env.WORDPRESS_PORT ?? (await freePort()));
const wp = await startWordPress({ port, plugins: [join(root, 'packages/wordpress/dist/chorus.zip')], log: console.log });
const data = mkdtempSync(join(tmpdir(), 'chorus-wp-demo-'));
const collector = await startCollector({
  port: Number(process.env.COLLECTOR_PORT ?? 0),
  db: join(data, 'chorus.db'),
  token: randomBytes(24).toString('base64url'),
  sites: { wordpress: [wp.url] },
});

await wp.php(`update_option( 'chorus_settings', array_merge( get_option( 'chorus_settings', array() ) ?: array(), array(
  'collector' => base64_decode( '${Buffer.from(`${collector.url}/collect`).toString('base64')}' ),
  'site' => 'wordpress',
  'via' => 'fieldnotes',
  'networks' => array( 'x', 'bluesky', 'mastodon' ),
) ) );`);

const post = await wp.createPost({
  title: 'Audience is who sees you; influence is who acts',
  categories: ['Writing'],
  content: [
    '<!-- wp:paragraph --><p>A post as a blogger writes it in WordPress, with Chorus active.</p><!-- /wp:paragraph -->',
    '<!-- wp:chorus/quote-to-tweet {"quote":"A thousand readers who act beat a million who scroll.","networks":"x bluesky mastodon"} /-->',
    '<!-- wp:paragraph --><p>The same element from a shortcode, and from the shortcodes of Better Click To Tweet and Social Warfare, left in old posts:</p><!-- /wp:paragraph -->',
    '[quote_to_tweet]Influence is measured in what readers do.[/quote_to_tweet]',
    '[bctt tweet="Old content keeps working after the switch." username="fieldnotes"]',
    '[click_to_tweet tweet="Social Warfare\'s quotes too" quote="Social Warfare\'s quotes too"]',
    '<!-- wp:chorus/course-cta {"heading":"Want to write for readers who act?","text":"A six-week course.","href":"https://courses.example/influence","label":"Take the course"} /-->',
    '<!-- wp:chorus/comment-prompt {"question":"Audience or influence: which matters more to you?"} /-->',
  ].join('\n\n'),
});

console.log(`
A WordPress ${wp.version} with Chorus is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s).
  Sample post:  ${post.url}
  Admin:        ${wp.url}/wp-admin/   (user ${wp.admin.user}, password ${wp.admin.password})
  Settings:     ${wp.url}/wp-admin/options-general.php?page=chorus
  Dashboard:    ${collector.url}/   (admin token: ${collector.token}), events of site "wordpress"
Everything lives in ${wp.dir} and is deleted when it stops. Ctrl+C stops it.`);

const stop = async () => {
  await Promise.allSettled([wp.stop(), collector.close()]);
  rmSync(data, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
