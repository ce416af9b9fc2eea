<?php
/**
 * Deleting the plugin removes its option (on every site of a network). Posts are left as they are.
 *
 * @package Chorus
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/** Removes the plugin's data from the current site. */
function chorus_uninstall_site() {
	global $wpdb;
	delete_option( 'chorus_settings' );
	// The test button's last answers (transients named chorus_test_<user>), should any be left.
	$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_chorus\\_test\\_%' OR option_name LIKE '\\_transient\\_timeout\\_chorus\\_test\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $chorus_site ) {
		switch_to_blog( $chorus_site );
		chorus_uninstall_site();
		restore_current_blog();
	}
} else {
	chorus_uninstall_site();
}
