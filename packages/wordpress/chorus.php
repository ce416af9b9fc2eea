<?php
/**
 * Plugin Name:       Chorus
 * Description:       Click to Tweet quotes, the question at the end of a post and the course box, as small web components that work without JavaScript and measure what readers do, without cookies. Takes over Better Click To Tweet, Social Warfare and Novashare content as it is.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            The Chorus authors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       chorus
 * Domain Path:       /languages
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

define( 'CHORUS_VERSION', '0.1.0' );
define( 'CHORUS_FILE', __FILE__ );
define( 'CHORUS_DIR', plugin_dir_path( __FILE__ ) );

require_once CHORUS_DIR . 'includes/options.php';
require_once CHORUS_DIR . 'includes/text.php';
require_once CHORUS_DIR . 'includes/render.php';
require_once CHORUS_DIR . 'includes/enqueue.php';
require_once CHORUS_DIR . 'includes/element-strings.php';
require_once CHORUS_DIR . 'includes/shortcodes.php';
require_once CHORUS_DIR . 'includes/compat.php';
require_once CHORUS_DIR . 'includes/blocks.php';
require_once CHORUS_DIR . 'includes/course-box.php';
require_once CHORUS_DIR . 'includes/privacy.php';
if ( is_admin() ) {
	require_once CHORUS_DIR . 'includes/settings-page.php';
}

add_action( 'init', 'chorus_load_textdomain', 0 );

/** Translations from the plugin's languages folder (wordpress.org's language packs load by themselves). */
function chorus_load_textdomain() {
	load_plugin_textdomain( 'chorus', false, dirname( plugin_basename( CHORUS_FILE ) ) . '/languages' );
}
