<?php
/**
 * The blocks `chorus/quote-to-tweet`, `chorus/comment-prompt` and `chorus/course-cta`: dynamic, their
 * attributes in `blocks/<name>/block.json` (the element's attributes in camelCase, plus `quote`,
 * `question` and the course box's content), rendered by `render.php` beside it. The editor script is
 * plain JavaScript on WordPress's globals (no build step), and previews the real element.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

add_action( 'init', 'chorus_register_blocks' );
add_action( 'enqueue_block_editor_assets', 'chorus_editor_compat_blocks' );

/**
 * The blocks Chorus registered (its own, and the other plugins' it took over).
 *
 * @param string|null $add A block name to add to the list.
 */
function chorus_block_names( $add = null ) {
	static $names = array();
	if ( null !== $add ) {
		$names[] = $add;
	}
	return $names;
}

/** Registers the editor script and the three blocks. */
function chorus_register_blocks() {
	wp_register_script(
		'chorus-editor',
		plugins_url( 'assets/editor.js', CHORUS_FILE ),
		array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n', 'wp-server-side-render' ),
		CHORUS_VERSION,
		true
	);
	wp_set_script_translations( 'chorus-editor', 'chorus', CHORUS_DIR . 'languages' );
	foreach ( array( 'quote-to-tweet', 'comment-prompt', 'course-cta' ) as $name ) {
		if ( register_block_type( CHORUS_DIR . 'blocks/' . $name ) ) {
			chorus_block_names( 'chorus/' . $name );
		}
	}
}

/** Tells the editor script which of the other plugins' blocks Chorus renders (their plugin is not active). */
function chorus_editor_compat_blocks() {
	$compat = array_values( array_diff( chorus_block_names(), array( 'chorus/quote-to-tweet', 'chorus/comment-prompt', 'chorus/course-cta' ) ) );
	wp_add_inline_script( 'chorus-editor', 'window.chorusCompatBlocks = ' . wp_json_encode( $compat ) . ';', 'before' );
}

/**
 * A block attribute as a string ('' when absent), for the render files.
 *
 * @param array  $attributes The block's attributes.
 * @param string $name       The attribute.
 */
function chorus_block_string( array $attributes, $name ) {
	return isset( $attributes[ $name ] ) && is_scalar( $attributes[ $name ] ) ? (string) $attributes[ $name ] : '';
}
