<?php
/**
 * The script tag: chorus.js as `<script type="module">` with the settings as data attributes, on pages
 * that have a Chorus element (or on every page, when the site counts page views everywhere), and the
 * loader's reserve CSS inline in `<head>`, so nothing moves when the elements upgrade.
 *
 * WordPress 6.5 and later print it with the script-module API; 6.1 to 6.4 have none, so the classic
 * script is printed as a module through `script_loader_tag`. chorus.js finds its own tag by its URL and
 * loads its chunks from beside itself; the `ver` query busts caches on a plugin update (the chunks'
 * names carry a content hash).
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

add_action( 'wp_enqueue_scripts', 'chorus_enqueue_for_page' );
add_action( 'wp_head', 'chorus_print_reserve', 7 );
// enqueue_block_assets, not enqueue_block_editor_assets: it also reaches the editor's iframe (6.3+).
add_action( 'enqueue_block_assets', 'chorus_enqueue_in_editor' );
add_filter( 'script_loader_tag', 'chorus_module_tag', 10, 3 );
add_filter( 'wp_script_attributes', 'chorus_module_attributes' );

/** The URL of chorus.js in the plugin (the build puts the loader and its chunks in `js/`). */
function chorus_script_url() {
	return plugins_url( 'js/chorus.js', CHORUS_FILE );
}

/** The data attributes of the front end's script tag, from the settings. */
function chorus_script_data() {
	$settings = chorus_settings();
	$data     = array(
		'data-collector'   => $settings['collector'],
		'data-site'        => chorus_site_name(),
		'data-respect-dnt' => (bool) $settings['respect_dnt'],
		'data-debug'       => (bool) $settings['debug'],
		'data-pageviews'   => 'off' === $settings['pageviews'] ? 'off' : '',
	);
	/**
	 * Filters the data attributes of the front end's script tag (name => value; true prints the bare
	 * name, '' and false print nothing), for example a collector per environment.
	 *
	 * @param array $data The attributes, from Settings → Chorus.
	 */
	$filtered = apply_filters( 'chorus_script_data', $data );
	return is_array( $filtered ) ? $filtered : $data;
}

/** Whether one of the posts the page shows has a Chorus element (or content Chorus renders as one). */
function chorus_page_has_elements() {
	global $wp_query;
	$found = false;
	$posts = isset( $wp_query->posts ) && is_array( $wp_query->posts ) ? $wp_query->posts : array();
	foreach ( $posts as $post ) {
		if ( $post instanceof WP_Post && chorus_post_has_elements( $post ) ) {
			$found = true;
			break;
		}
	}
	/**
	 * Filters whether the page has a Chorus element before `<head>` is printed: true for a page whose
	 * template prints elements outside its posts, so the script is fetched from `<head>` and the
	 * reserve CSS is there before the elements.
	 *
	 * @param bool $found Whether one of the page's posts has an element.
	 */
	return (bool) apply_filters( 'chorus_page_has_elements', $found );
}

/** Whether a post's content has one of the shortcodes or blocks Chorus renders, or gets the course box. */
function chorus_post_has_elements( WP_Post $post ) {
	foreach ( chorus_block_names() as $name ) {
		if ( has_block( $name, $post ) ) {
			return true;
		}
	}
	foreach ( chorus_shortcode_tags() as $tag ) {
		if ( has_shortcode( $post->post_content, $tag ) ) {
			return true;
		}
	}
	return chorus_course_box_applies( $post );
}

/** Enqueues the script early when the page needs it, so it is fetched from `<head>`. */
function chorus_enqueue_for_page() {
	if ( chorus_is_plain_context() ) {
		return; // An AMP page runs no script of ours (and its elements are rendered as plain HTML).
	}
	if ( chorus_page_has_elements() ) {
		chorus_needs_script( true );
	} elseif ( 'everywhere' === chorus_settings()['pageviews'] ) {
		chorus_enqueue_script();
	}
}

/**
 * Called by every element rendered for a page: enqueues the script (in the footer when `<head>` is
 * already out). Returns the reserve CSS as a `<style>` to print before the element when `<head>` went
 * out without it (an element from a template or widget the page's posts did not show), else ''.
 *
 * @param bool $early Whether this is the check before `<head>`.
 */
function chorus_needs_script( $early = false ) {
	static $reserved = false;
	if ( is_admin() || wp_is_json_request() || ( defined( 'REST_REQUEST' ) && REST_REQUEST ) ) {
		return '';
	}
	chorus_enqueue_script();
	if ( $early || ! did_action( 'wp_head' ) ) {
		// chorus_print_reserve() prints it in <head> (a block theme renders its template before <head>).
		$reserved = true;
		chorus_rendered_before_head( true );
		return '';
	}
	if ( $reserved ) {
		return '';
	}
	$reserved = true;
	$css      = chorus_reserve_css();
	return '' === $css ? '' : '<style id="chorus-reserve-css">' . $css . '</style>';
}

/**
 * Whether an element was rendered, or found in the page's posts, before `<head>` went out.
 *
 * @param bool $set Records that one was.
 */
function chorus_rendered_before_head( $set = false ) {
	static $rendered = false;
	$rendered = $rendered || $set;
	return $rendered;
}

/** Enqueues chorus.js once, as a module. */
function chorus_enqueue_script() {
	chorus_script_enqueued( true );
	if ( function_exists( 'wp_enqueue_script_module' ) ) {
		wp_enqueue_script_module( 'chorus', chorus_script_url(), array(), CHORUS_VERSION );
	} else {
		wp_enqueue_script( 'chorus', chorus_script_url(), array(), CHORUS_VERSION, did_action( 'wp_head' ) > 0 );
	}
}

/**
 * Whether chorus.js was enqueued for this page.
 *
 * @param bool $set Records that it was.
 */
function chorus_script_enqueued( $set = false ) {
	static $enqueued = false;
	$enqueued = $enqueued || $set;
	return $enqueued;
}

/** The loader's layout-reservation CSS, as the build copied it from packages/chorus/dist/reserve.css. */
function chorus_reserve_css() {
	static $css = null;
	if ( null === $css ) {
		$file = CHORUS_DIR . 'js/reserve.css';
		$css  = is_readable( $file ) ? trim( (string) file_get_contents( $file ) ) : ''; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a file of the plugin's own.
		// The fallback links of <comment-prompt> and <course-cta> use a slot those elements do not have:
		// shown before they upgrade, in the room reserved for the button, and never after.
		$css .= 'course-cta:not(:defined)>.chorus-fallback{display:block;height:0;position:relative;top:.75em;line-height:2.75rem}';
		$css  = wp_strip_all_tags( $css );
	}
	return $css;
}

/** Prints the reserve CSS in `<head>` on a page whose posts have an element. */
function chorus_print_reserve() {
	if ( chorus_is_plain_context() || ( ! chorus_rendered_before_head() && ! chorus_page_has_elements() ) ) {
		return;
	}
	$css = chorus_reserve_css();
	if ( '' !== $css ) {
		echo '<style id="chorus-reserve-css">' . $css . "</style>\n"; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- the plugin's own CSS, tags stripped.
	}
}

/** The elements in the block editor, so the blocks' previews are the real elements (no collector: the editor sends nothing). */
function chorus_enqueue_in_editor() {
	if ( ! is_admin() ) {
		return; // On the front end, chorus_enqueue_for_page() decides.
	}
	wp_enqueue_script( 'chorus', chorus_script_url(), array(), CHORUS_VERSION, true );
}

/**
 * WordPress 6.1 to 6.4 (and the editor): the classic tag of chorus.js printed as a module, with the
 * data attributes on the front end.
 *
 * @param string $tag    The tag WordPress made.
 * @param string $handle The script's handle.
 * @param string $src    Its URL, with `ver`.
 */
function chorus_module_tag( $tag, $handle, $src ) {
	if ( 'chorus' !== $handle ) {
		return $tag;
	}
	$data = is_admin() ? array() : chorus_script_data();
	return chorus_element_strings_script() . '<script type="module" src="' . esc_url( $src ) . '" id="chorus-js"' . chorus_attributes( $data ) . "></script>\n";
}

/**
 * WordPress 6.5 and later: the data attributes on the script module's tag.
 *
 * @param array $attributes The tag's attributes.
 */
function chorus_module_attributes( $attributes ) {
	if ( is_array( $attributes ) && isset( $attributes['id'] ) && 'chorus-js-module' === $attributes['id'] && ! is_admin() ) {
		foreach ( chorus_script_data() as $name => $value ) {
			if ( '' !== $value && false !== $value ) {
				$attributes[ $name ] = true === $value ? true : $value;
			}
		}
	}
	return $attributes;
}
