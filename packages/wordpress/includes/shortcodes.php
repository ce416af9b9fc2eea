<?php
/**
 * Chorus's own shortcodes: `[quote_to_tweet]`, `[comment_prompt]`, `[course_cta]`. Their attributes are
 * the elements' (kebab-case, `_` works too); enclosed content is the quote, the question or the text.
 * Unknown attributes are ignored.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

add_action( 'init', 'chorus_register_shortcodes' );
add_filter( 'pre_do_shortcode_tag', 'chorus_untexturize_shortcode', 10, 4 );

/** Registers the shortcodes. */
function chorus_register_shortcodes() {
	chorus_add_shortcode( 'quote_to_tweet', 'chorus_quote_shortcode' );
	chorus_add_shortcode( 'comment_prompt', 'chorus_comment_prompt_shortcode' );
	chorus_add_shortcode( 'course_cta', 'chorus_course_shortcode' );
}

/**
 * The shortcodes Chorus registered (its own, and the other plugins' it took over).
 *
 * @param string|null $add A tag to add to the list.
 */
function chorus_shortcode_tags( $add = null ) {
	static $tags = array();
	if ( null !== $add ) {
		$tags[] = $add;
	}
	return $tags;
}

/** add_shortcode(), remembering the tag. */
function chorus_add_shortcode( $tag, $callback ) {
	add_shortcode( $tag, $callback );
	chorus_shortcode_tags( $tag );
}

/**
 * A shortcode's attributes by name, of the names given: keys lower-cased with `_` as `-`, a bare word
 * (`[course_cta dismissible]`) as true; anything else is ignored.
 *
 * @param array|string $atts  What WordPress parsed ('' when there are none).
 * @param array        $names The names the shortcode takes.
 */
function chorus_shortcode_args( $atts, array $names ) {
	$args = array();
	foreach ( is_array( $atts ) ? $atts : array() as $key => $value ) {
		if ( is_int( $key ) ) {
			$key   = $value;
			$value = true;
		}
		$key = str_replace( '_', '-', strtolower( trim( (string) $key ) ) );
		if ( in_array( $key, $names, true ) ) {
			$args[ $key ] = $value;
		}
	}
	return $args;
}

/** `[quote_to_tweet text url via related hashtags networks label nofollow id quote]The quote[/quote_to_tweet]` */
function chorus_quote_shortcode( $atts, $content = null ) {
	$args = chorus_shortcode_args( $atts, array( 'quote', 'text', 'url', 'via', 'related', 'hashtags', 'networks', 'label', 'nofollow', 'id' ) );
	return chorus_render_quote(
		array(
			'quote'    => null !== $content && '' !== trim( $content ) ? chorus_enclosed( $content ) : ( $args['quote'] ?? '' ),
			'text'     => $args['text'] ?? '',
			'url'      => $args['url'] ?? '',
			'via'      => isset( $args['via'] ) ? ( true === $args['via'] || 'no' === strtolower( (string) $args['via'] ) ? '' : $args['via'] ) : null,
			'related'  => $args['related'] ?? '',
			'hashtags' => $args['hashtags'] ?? '',
			'networks' => $args['networks'] ?? null,
			'label'    => $args['label'] ?? '',
			'nofollow' => isset( $args['nofollow'] ) && chorus_truthy( $args['nofollow'] ),
			'id'       => $args['id'] ?? '',
		)
	);
}

/** `[comment_prompt for email inline label maxlength id question]The question?[/comment_prompt]` */
function chorus_comment_prompt_shortcode( $atts, $content = null ) {
	$args = chorus_shortcode_args( $atts, array( 'question', 'for', 'email', 'inline', 'label', 'maxlength', 'id' ) );
	return chorus_render_comment_prompt(
		array(
			'question'  => null !== $content && '' !== trim( $content ) ? chorus_enclosed( $content ) : ( $args['question'] ?? '' ),
			'for'       => isset( $args['for'] ) && true !== $args['for'] ? $args['for'] : null,
			'email'     => $args['email'] ?? '',
			'inline'    => isset( $args['inline'] ) && chorus_truthy( $args['inline'] ),
			'label'     => $args['label'] ?? '',
			'maxlength' => $args['maxlength'] ?? '',
			'id'        => $args['id'] ?? '',
		)
	);
}

/** `[course_cta href label campaign no-utm dismissible dismiss-days heading image image-width image-height image-alt id]Text[/course_cta]` */
function chorus_course_shortcode( $atts, $content = null ) {
	$args = chorus_shortcode_args( $atts, array( 'href', 'label', 'campaign', 'no-utm', 'dismissible', 'dismiss-days', 'heading', 'text', 'image', 'image-width', 'image-height', 'image-alt', 'id' ) );
	return chorus_render_course(
		array(
			'href'         => $args['href'] ?? '',
			'label'        => $args['label'] ?? '',
			'campaign'     => $args['campaign'] ?? '',
			'no_utm'       => isset( $args['no-utm'] ) && chorus_truthy( $args['no-utm'] ),
			'dismissible'  => isset( $args['dismissible'] ) && chorus_truthy( $args['dismissible'] ),
			'dismiss_days' => $args['dismiss-days'] ?? '',
			'heading'      => $args['heading'] ?? '',
			'text'         => null !== $content && '' !== trim( $content ) ? chorus_enclosed( $content ) : ( $args['text'] ?? '' ),
			'image'        => $args['image'] ?? '',
			'image_width'  => $args['image-width'] ?? '',
			'image_height' => $args['image-height'] ?? '',
			'image_alt'    => $args['image-alt'] ?? '',
			'id'           => $args['id'] ?? '',
		)
	);
}

/**
 * wptexturize curls the quotes of a shortcode it does not recognise as one (a bare `>` in an attribute
 * is enough): `tweet=”…″`, which WordPress then cannot parse. For Chorus's shortcodes, an attribute
 * string with curled quotes and no straight ones has them straightened and is parsed again.
 *
 * @param false|string $output What to print instead of running the shortcode (false: run it).
 * @param string       $tag    The shortcode.
 * @param array|string $attr   The attributes WordPress parsed.
 * @param array        $m      The regular expression's match: 3 is the attribute string, 5 the content.
 */
function chorus_untexturize_shortcode( $output, $tag, $attr, $m ) {
	global $shortcode_tags;
	if ( false !== $output || ! in_array( $tag, chorus_shortcode_tags(), true ) || ! isset( $m[3] ) ) {
		return $output;
	}
	$raw     = $m[3];
	$doubles = array( '&#8220;', '&#8221;', '&#8243;', '“', '”', '″' );
	$singles = array( '&#8216;', '&#8217;', '&#8242;', '‘', '’', '′' );
	$fixed   = $raw;
	if ( false === strpos( $raw, '"' ) ) {
		$fixed = str_replace( $doubles, '"', $fixed );
	}
	if ( false === strpos( $raw, "'" ) && $fixed === $raw ) {
		$fixed = str_replace( $singles, "'", $fixed );
	}
	if ( $fixed === $raw ) {
		return $output;
	}
	$content = isset( $m[5] ) && '' !== $m[5] ? $m[5] : null;
	return $m[1] . call_user_func( $shortcode_tags[ $tag ], shortcode_parse_atts( $fixed ), $content, $tag ) . $m[6];
}
